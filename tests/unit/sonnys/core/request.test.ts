import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SonnysClient, type ClientOptions } from '@/lib/sonnys/client';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  NotFoundError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  SiteAccessError,
  ValidationError,
} from '@/lib/sonnys/core/errors';
import { buildUrl, encodePathSegment } from '@/lib/sonnys/core/request';
import { MemoryRateLimitStore, SharedRateLimiter } from '@/lib/sonnys/rate-limit';
import type { Logger } from '@/lib/sonnys/internal/logger';
import { type Handler, type TestServer, recordingLimiter, recordingSleep, startServer } from '../helpers/server';

const API_KEY = 'sk-live-SECRET-9f8e7d6c5b4a';
const siteBody = { data: { sites: [{ siteID: 1, code: 'MAIN', name: 'Main', timezone: 'America/Chicago' }] } };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: Handler, options: Partial<ClientOptions> = {}) {
  server = await startServer(handler);
  const sleep = recordingSleep();
  const client = new SonnysClient({
    apiId: 'api-id-1',
    apiKey: API_KEY,
    baseUrl: server.baseUrl,
    retry: { sleep: sleep.sleep, random: () => 0.5, baseDelayMs: 100, maxDelayMs: 1000 },
    ...options,
  });
  return { client, server, sleep };
}

function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('request basics', () => {
  it('sends auth, accept and site headers and validates the body', async () => {
    const { client, server } = await setup(() => ({ body: siteBody }), { siteCode: 'MAIN' });
    const sites = await client.sites.list();
    expect(sites).toEqual([{ siteID: 1, code: 'MAIN', name: 'Main', timezone: 'America/Chicago' }]);
    const req = server.requests[0];
    expect(req?.method).toBe('GET');
    expect(req?.path).toBe('/v1/site/list');
    expect(req?.headers['x-sonnys-api-id']).toBe('api-id-1');
    expect(req?.headers['x-sonnys-api-key']).toBe(API_KEY);
    expect(req?.headers['x-sonnys-site-code']).toBe('MAIN');
    expect(req?.headers.accept).toBe('application/json');
  });

  it('lets one call drop or change the site header', async () => {
    const { client, server } = await setup(() => ({ body: siteBody }), { siteCode: 'MAIN' });
    await client.sites.list({ siteCode: null });
    await client.sites.list({ siteCode: 'OTHER' });
    expect(server.requests[0]?.headers['x-sonnys-site-code']).toBeUndefined();
    expect(server.requests[1]?.headers['x-sonnys-site-code']).toBe('OTHER');
  });

  it('sends no site header when none is configured', async () => {
    const { client, server } = await setup(() => ({ body: siteBody }));
    await client.sites.list();
    expect(server.requests[0]?.headers['x-sonnys-site-code']).toBeUndefined();
  });

  it('builds URLs: drops undefined params, keeps the colon of entity IDs', () => {
    expect(buildUrl('https://x/v1/', '/item', { limit: 100, offset: 1, departmentName: undefined, site: null })).toBe('https://x/v1/item?limit=100&offset=1');
    expect(encodePathSegment('876:1001')).toBe('876:1001');
    expect(encodePathSegment('a/b c')).toBe('a%2Fb%20c');
  });
});

describe('error mapping over HTTP', () => {
  it.each([
    [400, { type: 'UnexpectedFailure', message: 'An unexpected error has occurred.' }, ValidationError],
    [400, { type: 'InvalidPayloadRequestTimestampError', message: 'Invalid timestamp' }, ValidationError],
    [422, { type: 'PayloadValidationError', messages: ['site: Only 1 site can be selected.'] }, ValidationError],
    [403, { type: 'MissingClientCredentialsError', message: 'missing' }, AuthenticationError],
    [403, { type: 'BadClientCredentialsError', message: 'bad' }, AuthenticationError],
    [403, { type: 'MismatchCredentialsError', message: 'env' }, AuthenticationError],
    [403, { type: 'NotAuthorizedError', message: 'no licence' }, AuthenticationError],
    [403, { type: 'BadSiteCredentialsError', message: 'site' }, SiteAccessError],
    [403, { type: 'NotAuthorizedSiteCredentialsError', message: 'site' }, SiteAccessError],
    [403, { type: 'NotAuthorizedSiteArgsError', message: 'site' }, SiteAccessError],
    [404, { type: 'EntityNotFoundError', message: 'not found' }, NotFoundError],
    [404, { error: { type: 'EntityNotFoundError', message: 'nested not found' } }, NotFoundError],
  ] as const)('%i %j → %o, not retried', async (status, body, cls) => {
    const { client, server } = await setup(() => ({ status, body }));
    const err = await errorOf(client.sites.list());
    expect(err).toBeInstanceOf(cls);
    const apiErr = err as APIError;
    expect(apiErr.status).toBe(status);
    const flat = 'error' in body ? body.error : body;
    expect(apiErr.type).toBe(flat.type);
    expect(apiErr.body).toEqual(body);
    expect(apiErr.endpoint).toBe('GET /site/list');
    expect(apiErr.headers?.['content-type']).toBe('application/json');
    expect(server.requests).toHaveLength(1);
  });

  it('keeps a non-JSON error body as text', async () => {
    const { client } = await setup(() => ({ status: 502, raw: 'Bad Gateway' }), { maxRetries: 0 });
    const err = (await errorOf(client.sites.list())) as ServerError;
    expect(err).toBeInstanceOf(ServerError);
    expect(err.body).toBe('Bad Gateway');
    expect(err.message).toContain('Bad Gateway');
  });

  it('reports a 200 body that breaks the schema on every attempt with endpoint and field, after the retries', async () => {
    const lines: string[] = [];
    const logger: Logger = { debug: () => {}, info: () => {}, warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
    const { client, server } = await setup(
      () => ({ body: { data: { sites: [{ siteID: 1, code: 'A', name: 'A' }, { siteID: 'two', code: 'B', name: 'B' }] } } }),
      { maxRetries: 2, logger },
    );
    const err = (await errorOf(client.sites.list())) as ResponseValidationError;
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.endpoint).toBe('GET /site/list');
    expect(err.issues[0]?.path).toBe('data.sites[1].siteID');
    expect(err.message).toContain('data.sites[1].siteID');
    expect(server.requests).toHaveLength(3);
    // Two retries warned about, one error when it gave up.
    expect(lines).toEqual(['warn sonnys: retrying request', 'warn sonnys: retrying request', 'error sonnys: response did not match schema']);
  });

  it('reports a 200 body that is not JSON', async () => {
    const { client } = await setup(() => ({ raw: '<html>maintenance</html>' }), { maxRetries: 1 });
    await expect(client.sites.list()).rejects.toThrow(/body is not JSON/);
  });

  it('retries a 200 body cut short, through the limiter, and returns the good one', async () => {
    const rl = recordingLimiter();
    const full = JSON.stringify(siteBody);
    const replies = [{ raw: full.slice(0, 20) }, { body: { data: { sites: [{ siteID: 'x' }] } } }, { body: siteBody }];
    const { client, server, sleep } = await setup((_req, i) => replies[i] ?? { body: siteBody }, { rateLimiter: rl.limiter });
    expect(await client.sites.list()).toHaveLength(1);
    expect(server.requests).toHaveLength(3);
    expect(rl.events).toEqual(['acquire:p1:background', 'release:p1', 'acquire:p2:background', 'release:p2', 'acquire:p3:background', 'release:p3']);
    expect(sleep.delays).toHaveLength(2);
  });

  it('does not retry a POST whose 200 body is unreadable (the job may have started)', async () => {
    const { client, server } = await setup(() => ({ raw: '{"data":{"ha' }));
    await expect(client.post('transaction/load-job', z.object({ data: z.object({ hash: z.string() }) }))).rejects.toBeInstanceOf(
      ResponseValidationError,
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries a GET on 5xx and 429, one fresh permit per attempt, released with the outcome', async () => {
    const rl = recordingLimiter();
    const statuses = [503, 429, 500, 200];
    const { client, server, sleep } = await setup(
      (_req, i) => (statuses[i] === 200 ? { body: siteBody } : { status: statuses[i] ?? 500, body: { type: 'X' } }),
      { rateLimiter: rl.limiter, priority: 'interactive' },
    );
    const sites = await client.sites.list();
    expect(sites).toHaveLength(1);
    expect(server.requests).toHaveLength(4);
    expect(rl.events).toEqual([
      'acquire:p1:interactive', 'release:p1',
      'acquire:p2:interactive', 'release:p2',
      'acquire:p3:interactive', 'release:p3',
      'acquire:p4:interactive', 'release:p4',
    ]);
    expect(rl.releases).toEqual([
      { status: 503, rateLimited: false },
      { status: 429, rateLimited: true },
      { status: 500, rateLimited: false },
      { status: 200, rateLimited: false },
    ]);
    // Full jitter at random()=0.5 over 100·2^n: 50, 100, 200 — short, because the limiter handles 429 waits.
    expect(sleep.delays).toEqual([50, 100, 200]);
  });

  it('passes per-request priority to the limiter', async () => {
    const rl = recordingLimiter();
    const { client } = await setup(() => ({ body: siteBody }), { rateLimiter: rl.limiter });
    await client.sites.list();
    await client.sites.list({ priority: 'interactive' });
    expect(rl.events.filter((e) => e.startsWith('acquire'))).toEqual(['acquire:p1:background', 'acquire:p2:interactive']);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    const { client, server, sleep } = await setup(() => ({ status: 503, body: { type: 'ServerUnexpectedFailure', message: 'down' } }), { maxRetries: 2 });
    const err = await errorOf(client.sites.list());
    expect(err).toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(3);
    expect(sleep.delays).toHaveLength(2);
  });

  it('waits a whole server window after a 429 when there is no limiter', async () => {
    const rec = recordingSleep();
    const { client } = await setup((_r, i) => (i === 0 ? { status: 429, body: { type: 'RequestRateExceedError' } } : { body: siteBody }), {
      retry: { sleep: rec.sleep, random: () => 0.5, baseDelayMs: 100, rateLimitWindowMs: 15_000 },
    });
    await client.sites.list();
    expect(rec.delays).toEqual([15_050]);
  });

  it('throws RateLimitError when 429 persists', async () => {
    const { client } = await setup(() => ({ status: 429, body: { type: 'RequestRateExceedError', message: 'number of requests exceeded the allowed API rate' } }), { maxRetries: 1 });
    const err = (await errorOf(client.sites.list())) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.type).toBe('RequestRateExceedError');
  });

  it('retries POST load-job on 5xx: identical criteria within 20 minutes return the same job (FACTS §2.2 #6)', async () => {
    const { client, server } = await setup((_r, i) => (i === 0 ? { status: 500, body: { type: 'ServerUnexpectedFailure' } } : { body: { data: { hash: 'abc' } } }));
    await expect(client.transactions.loadJob({ startDate: 1, endDate: 2, site: 'MAIN' })).resolves.toEqual({ hash: 'abc' });
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it('never retries another POST on 5xx (repeating it might do the thing twice)', async () => {
    const { client, server } = await setup(() => ({ status: 500, body: { type: 'ServerUnexpectedFailure' } }));
    await expect(client.post('some/action', z.object({ data: z.unknown() }))).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1);
  });

  it('retries POST load-job on 429, which the server refused before doing anything', async () => {
    const { client, server } = await setup((_r, i) => (i === 0 ? { status: 429, body: { type: 'RequestRateExceedError' } } : { body: { data: { hash: 'abc' } } }));
    await expect(client.transactions.loadJob({ startDate: 1, endDate: 2, site: 'MAIN' })).resolves.toEqual({ hash: 'abc' });
    expect(server.requests).toHaveLength(2);
  });

  it('times out a slow attempt, releases its permit, and retries a GET', async () => {
    const rl = recordingLimiter();
    const { client, server } = await setup((_r, i) => (i === 0 ? { delayMs: 500, body: siteBody } : { body: siteBody }), {
      timeoutMs: 100,
      rateLimiter: rl.limiter,
    });
    await expect(client.sites.list()).resolves.toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    expect(rl.releases).toEqual([{ rateLimited: false }, { status: 200, rateLimited: false }]);
  });

  it('throws APITimeoutError when every attempt times out', async () => {
    const { client } = await setup(() => ({ delayMs: 300, body: siteBody }), { timeoutMs: 50, maxRetries: 1 });
    const err = await errorOf(client.sites.list());
    expect(err).toBeInstanceOf(APITimeoutError);
    expect((err as APITimeoutError).status).toBeUndefined();
  });

  it('retries a dropped connection on GET and surfaces APIConnectionError at the end', async () => {
    const { client, server } = await setup(() => ({ destroy: true }), { maxRetries: 2 });
    const err = await errorOf(client.sites.list());
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).not.toBeInstanceOf(APITimeoutError);
    expect(server.requests).toHaveLength(3);
  });

  it('retries a dropped connection on POST load-job (the repeat joins the job it may have started)', async () => {
    const { client, server } = await setup(() => ({ destroy: true }), { maxRetries: 2 });
    await expect(client.transactions.loadJob({ startDate: 1, endDate: 2, site: 'MAIN' })).rejects.toBeInstanceOf(APIConnectionError);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a dropped connection on another POST', async () => {
    const { client, server } = await setup(() => ({ destroy: true }));
    await expect(client.post('some/action', z.object({ data: z.unknown() }))).rejects.toBeInstanceOf(APIConnectionError);
    expect(server.requests).toHaveLength(1);
  });

  it('aborts on the caller signal without retrying', async () => {
    const controller = new AbortController();
    const { client, server } = await setup(() => {
      setTimeout(() => controller.abort(), 20);
      return { delayMs: 500, body: siteBody };
    });
    const err = await errorOf(client.sites.list({ signal: controller.signal }));
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
  });

  it('does not even send when the signal is already aborted', async () => {
    const { client, server } = await setup(() => ({ body: siteBody }));
    await expect(client.sites.list({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(0);
  });

  it('gives up a wait for a permit on the wait-only signal, and nothing is sent', async () => {
    const limiter = new SharedRateLimiter({ store: new MemoryRateLimitStore(), limit: 1, windowMs: 60_000 });
    const { client, server } = await setup(() => ({ body: siteBody }), { rateLimiter: limiter });
    await client.sites.list();
    const wait = new AbortController();
    setTimeout(() => wait.abort(), 30);
    const err = await errorOf(client.sites.list({ waitSignal: wait.signal }));
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
  });

  it('never cuts off a request already sent on the wait-only signal', async () => {
    const wait = new AbortController();
    const { client, server } = await setup(() => {
      setTimeout(() => wait.abort(), 20);
      return { delayMs: 200, body: siteBody };
    });
    await expect(client.sites.list({ waitSignal: wait.signal })).resolves.toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });
});

describe('secret redaction', () => {
  it('keeps the API key out of errors, their serialisation and every log line', async () => {
    const lines: string[] = [];
    const record = (level: string) => (msg: string, meta?: Record<string, unknown>) => lines.push(`${level} ${msg} ${JSON.stringify(meta)}`);
    const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
    // A hostile server that echoes the key in the message, a nested field and a header.
    const { client } = await setup(
      (req) => ({
        status: 403,
        body: { type: 'BadClientCredentialsError', message: `bad key ${req.headers['x-sonnys-api-key']}`, echo: { key: req.headers['x-sonnys-api-key'] } },
        headers: { 'x-echo': String(req.headers['x-sonnys-api-key']), 'x-sonnys-api-key': String(req.headers['x-sonnys-api-key']) },
      }),
      { logger },
    );
    const err = (await errorOf(client.sites.list())) as AuthenticationError;
    expect(err).toBeInstanceOf(AuthenticationError);
    const surfaces = [err.message, String(err), err.stack ?? '', JSON.stringify(err), inspect(err, { depth: 10 }), JSON.stringify(err.body), JSON.stringify(err.headers), ...lines];
    for (const s of surfaces) expect(s).not.toContain(API_KEY);
    expect(err.message).toContain('[REDACTED]');
    expect(err.headers?.['x-sonnys-api-key']).toBe('[REDACTED]');
    expect(lines.length).toBeGreaterThan(0);
  });

  it('scrubs the key from a fetch failure kept as cause', async () => {
    const client = new SonnysClient({
      apiId: 'id',
      apiKey: API_KEY,
      maxRetries: 0,
      fetch: async (_url, init) => {
        const headers = init?.headers as Record<string, string>;
        throw new TypeError(`fetch failed with headers ${JSON.stringify(headers)}`);
      },
    });
    const err = (await errorOf(client.sites.list())) as APIConnectionError;
    expect(err).toBeInstanceOf(APIConnectionError);
    for (const s of [err.message, String(err.cause), inspect(err, { depth: 10 }), JSON.stringify(err)]) expect(s).not.toContain(API_KEY);
  });

  it('keeps the key out of the client itself when logged or serialised', () => {
    const client = new SonnysClient({ apiId: 'id', apiKey: API_KEY });
    expect(JSON.stringify(client)).not.toContain(API_KEY);
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(API_KEY);
    expect(JSON.stringify(client.transactions)).not.toContain(API_KEY);
  });
});

describe('schema-typed low-level calls', () => {
  it('get() returns the schema output', async () => {
    const { client } = await setup(() => ({ body: { data: { n: '5.5' } } }));
    const out = await client.get('anything', z.object({ data: z.object({ n: z.coerce.number() }) }));
    expect(out.data.n).toBe(5.5);
  });
});
