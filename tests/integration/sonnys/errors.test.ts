/**
 * Failures end to end: what the simulator answers, and the SDK error class, `type`, status and
 * messages it becomes. Run twice: the spec's flat error body and the nested `{error:{…}}` one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIError,
  AuthenticationError,
  LoadJobError,
  LoadJobResponseSchema,
  NotFoundError,
  SiteAccessError,
  SonnysClient,
  SonnysError,
  ValidationError,
} from '@/lib/sonnys';
import { defaultWorld, type Simulator } from '@/lib/simulator';
import { DAY, NOW, clientFor, dayWindow, recordingFetch, sec, simulator } from './helpers';

/** The rejection of `promise`, which must be an instance of `kind`. */
async function failure<E extends Error>(promise: Promise<unknown>, kind: abstract new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to fail').toBeInstanceOf(kind);
  return error as E;
}

describe.each([
  { name: 'flat error bodies', nestedErrors: false },
  { name: 'nested error bodies', nestedErrors: true },
])('errors through the SDK, $name', ({ nestedErrors }) => {
  let sim: Simulator;
  beforeAll(async () => {
    // WashU answers the sandbox's magic values; Icon's key may only use two of its four sites.
    const world = defaultWorld();
    const [washu, icon] = world.databases;
    sim = await simulator({
      databases: [
        { ...washu!, sandbox: true },
        { ...icon!, authorizedSiteCodes: ['DENVER', 'MESA'] },
      ],
      faults: { nestedErrors },
      jobs: { workingMs: 60_000, ttlMs: 60_000 },
    });
  });
  afterAll(() => sim.close());

  it('maps a wrong key to AuthenticationError BadClientCredentialsError, unretried and redacted', async () => {
    const { fetch, exchanges } = recordingFetch();
    const client = clientFor(sim, 'washu', { apiKey: 'washu-wrong-key', maxRetries: 3, fetch });
    const error = await failure(client.sites.list(), AuthenticationError);
    expect(error).not.toBeInstanceOf(SiteAccessError);
    expect({ status: error.status, type: error.type }).toEqual({ status: 403, type: 'BadClientCredentialsError' });
    expect(error.messages[0]).toMatch(/credentials are not valid/);
    expect(exchanges).toHaveLength(1);
    expect(JSON.stringify(error)).not.toContain('washu-wrong-key');
    const unknownId = await failure(clientFor(sim, 'washu', { apiId: 'nobody' }).items.list().toArray(), AuthenticationError);
    expect(unknownId.type).toBe('BadClientCredentialsError');
  });

  it('refuses missing credentials before sending, and the server refuses a blank key', async () => {
    expect(() => new SonnysClient({ apiId: 'washu-demo', apiKey: '', baseUrl: sim.url })).toThrow(SonnysError);
    // A whitespace key passes the constructor; fetch trims it to an empty header the server sees as missing.
    const error = await failure(clientFor(sim, 'washu', { apiKey: '  ' }).sites.list(), AuthenticationError);
    expect({ status: error.status, type: error.type }).toEqual({ status: 403, type: 'MissingClientCredentialsError' });
  });

  it.each([
    { siteCode: 'INVALID', type: 'BadSiteCredentialsError' },
    { siteCode: 'ABC', type: 'NotAuthorizedSiteCredentialsError' },
    { siteCode: 'DEF', type: 'NotAuthorizedSiteArgsError' },
  ])('maps the sandbox site header $siteCode to SiteAccessError $type', async ({ siteCode, type }) => {
    const error = await failure(clientFor(sim, 'washu', { siteCode }).items.list().toArray(), SiteAccessError);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect({ status: error.status, type: error.type }).toEqual({ status: 403, type });
  });

  it('maps real site codes: unknown, not authorised for the key, header and site= disagreeing', async () => {
    const icon = clientFor(sim, 'icon');
    const day = dayWindow(sim, 'DENVER', 'icon');
    const unknown = await failure(icon.transactions.listV2(day, { siteCode: 'NOWHERE' }).toArray(), SiteAccessError);
    expect(unknown.type).toBe('BadSiteCredentialsError');
    const hidden = await failure(icon.transactions.listV2(day, { siteCode: 'KAPOLEI' }).toArray(), SiteAccessError);
    expect(hidden.type).toBe('NotAuthorizedSiteCredentialsError');
    const args = await failure(icon.transactions.listV2({ ...day, site: 'MESA' }, { siteCode: 'DENVER' }).toArray(), SiteAccessError);
    expect(args.type).toBe('NotAuthorizedSiteArgsError');
    // The authorised ones work, and without a header the key sees only them.
    expect((await icon.transactions.listV2(day, { siteCode: 'DENVER' }).toArray()).length).toBeGreaterThan(0);
    expect((await icon.sites.list()).map((s) => s.code)).toEqual(['DENVER', 'MESA']);
  });

  it('maps a range over 31 days to ValidationError PayloadValidationError with the simulator\'s message', async () => {
    const { fetch, exchanges } = recordingFetch();
    const client = clientFor(sim, 'washu', { maxRetries: 3, fetch });
    const endDate = sec(NOW);
    const error = await failure(client.transactions.listV2({ startDate: endDate - 31 * 86_400 - 1, endDate }).toArray(), ValidationError);
    expect({ status: error.status, type: error.type, messages: error.messages }).toEqual({
      status: 422,
      type: 'PayloadValidationError',
      messages: ['endDate: the date range must not exceed 31 days.'],
    });
    expect(exchanges).toHaveLength(1);
    // Every broken rule is listed, each reaching the SDK as its own message.
    const several = await failure(client.transactions.list({ startDate: endDate + 60, endDate: endDate + 120 }).toArray(), ValidationError);
    expect(several.messages).toEqual(['startDate: must not be in the future.', 'endDate: must not be in the future.']);
    // 31 days exactly is accepted.
    await expect(client.transactions.listV2({ startDate: endDate - 31 * 86_400, endDate, limit: 1, maxPages: 1 }).pages().next()).resolves.toBeDefined();
  });

  it('maps load-job without a site (multi-site key) to the production message', async () => {
    // The SDK insists on a site itself (FACTS Q8), so ask the server through the low-level POST.
    const client = clientFor(sim, 'icon');
    const { startDate, endDate } = dayWindow(sim, 'DENVER', 'icon');
    const error = await failure(
      client.post('transaction/load-job', LoadJobResponseSchema, { startDate, endDate, limit: 100, offset: 1 }),
      ValidationError,
    );
    expect(error.messages).toEqual(['site: Only 1 site can be selected.']);
    expect(() => client.transactions.runLoadJob({ startDate, endDate })).toThrow(/site code/);
  });

  it('maps unknown transactions, employees, accounts and job hashes to NotFoundError EntityNotFoundError', async () => {
    const icon = clientFor(sim, 'icon');
    const notFound = [
      await failure(icon.transactions.retrieve('123456:11'), NotFoundError),
      await failure(icon.employees.retrieve(999_999), NotFoundError),
      await failure(icon.recurring.retrieve('999999:11'), NotFoundError),
      await failure(icon.transactions.getJobData('0'.repeat(32)), NotFoundError),
    ];
    expect(notFound.map((e) => [e.status, e.type])).toEqual(Array(4).fill([404, 'EntityNotFoundError']));
    expect(notFound[0]!.messages[0]).toMatch(/Transaction searched for was not found/);
  });

  it('gives up on a load-job page whose hash keeps expiring, with LoadJobError "expired"', async () => {
    // Jobs here take a minute to build and live a minute: each poll's sleep moves the data clock past the TTL.
    const client = clientFor(sim, 'icon', {
      retry: {
        sleep: async () => {
          sim.clock.advance(60_001);
        },
      },
    });
    const error = await failure(
      client.transactions.runLoadJob({ ...dayWindow(sim, 'DENVER', 'icon'), site: 'DENVER' }, { pollIntervalMs: 1, maxResubmits: 1 }).toArray(),
      LoadJobError,
    );
    sim.clock.set(NOW);
    expect({ reason: error.reason, page: error.page }).toEqual({ reason: 'expired', page: 1 });
    expect(error.cause).toBeInstanceOf(NotFoundError);
    expect(error.cause).toBeInstanceOf(APIError);
  });
});

describe('load-job hash expiry', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await simulator({ jobs: { workingMs: 40, ttlMs: 60_000 }, lateUploads: { rate: 0 }, laterVoids: { rate: 0 } });
  });
  afterAll(() => sim.close());

  it('resubmits a page whose hash expired and still yields every transaction of the day', async () => {
    const { fetch, exchanges } = recordingFetch();
    let expired = false;
    const client = clientFor(sim, 'washu', {
      fetch,
      retry: {
        // The first wait between polls outlasts the job's 60 s life on the data clock; later waits are real.
        sleep: async (ms) => {
          if (!expired) {
            expired = true;
            sim.clock.advance(60_000);
          }
          await new Promise((r) => setTimeout(r, ms));
        },
      },
    });
    const rows = await client.transactions.runLoadJob({ ...dayWindow(sim, 'JOLIET'), site: 'JOLIET' }, { pollIntervalMs: 20 }).toArray();
    const truth = sim.truth.transactions({ database: 'washu', site: 'JOLIET', day: DAY });
    expect(rows.map((t) => t.id)).toEqual(truth.map((t) => t.transId));
    const trail = exchanges.map((e) => `${e.path === '/transaction/load-job' ? 'submit' : 'poll'}:${e.status}`);
    // Page 1: submit, poll (working), the clock jumps, poll (404), submit again, then polls until pass.
    expect(trail.slice(0, 4)).toEqual(['submit:200', 'poll:200', 'poll:404', 'submit:200']);
    expect(trail.filter((t) => t === 'poll:404')).toHaveLength(1);
    expect(exchanges.filter((e) => e.path === '/transaction/load-job').map((e) => e.query.get('offset'))).toEqual(['1', '1', '2', '3', '4']);
  });
});
