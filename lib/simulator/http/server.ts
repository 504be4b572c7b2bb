/**
 * The HTTP front: `node:http` on loopback. Per request, in order: fault plan, request-leg latency,
 * then what the real server does once the request has reached it: credentials (403), throttle
 * (429), an injected hang (no answer ever), injected 5xx, routing, site header (403), the handler
 * (422/404/200), response faults, response-leg latency, then write or drop.
 *
 * `requestLatencyMs` models the network between client and server, so the request is only counted
 * against the throttle (and checked at all) after it: its arrival is at the end of the delay. The
 * client's rate limiter assumes exactly that, an arrival somewhere between send and answer
 * (`lib/sonnys/rate-limit/policy.ts`); counting at socket time would make every delayed request
 * look like it arrived the moment it was sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toJson } from '@/lib/simulator/money';
import { ApiError, apiErrors, errorBody } from '@/lib/simulator/http/errors';
import { authenticate, headerSite } from '@/lib/simulator/http/auth';
import type { FaultPlan } from '@/lib/simulator/http/faults';
import { QueryReader } from '@/lib/simulator/http/query';
import { matchRoute } from '@/lib/simulator/http/router';
import type { HandlerResult, SimRuntime } from '@/lib/simulator/http/runtime';

const sleep = (ms: number): Promise<void> => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

export interface HttpFront {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(rt: SimRuntime, options: { port: number; host: string; log?: (line: string) => void }): Promise<HttpFront> {
  let requestNumber = 0;
  const server = createServer((req, res) => {
    requestNumber += 1;
    void handle(rt, req, res, requestNumber, options.log).catch((err: unknown) => {
      options.log?.(`simulator: unhandled ${String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(toJson(errorBody(apiErrors.server('SCEC0500'), false)));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://${options.host}:${port}/v1`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(rt: SimRuntime, req: IncomingMessage, res: ServerResponse, n: number, log?: (line: string) => void): Promise<void> {
  req.resume();
  const url = new URL(req.url ?? '/', 'http://simulator');
  const path = url.pathname.startsWith('/v1/') ? url.pathname.slice(3) : null;
  const plan = rt.faults.plan(n, path ?? url.pathname);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let status = 200;
  let body: string;
  // The request leg: until it ends the server has not seen the request.
  await sleep(plan.requestDelayMs);
  try {
    const db = authenticate(rt.world, req.headers);
    const decision = rt.throttle.hit(db.apiId, req.url ?? '');
    if (!decision.allowed) {
      if (rt.throttle.options.retryAfterHeader) {
        headers['retry-after'] = String(Math.max(1, Math.ceil((decision.resetAt - rt.wallClock.now()) / 1000)));
      }
      throw apiErrors.rate();
    }
    if (plan.hang) {
      // Accepted and counted, then silence: the attempt ends when the client times out and closes
      // the socket (or the simulator closes, which destroys every connection).
      await new Promise<void>((resolve) => (req.socket.destroyed ? resolve() : req.socket.once('close', () => resolve())));
      return;
    }
    if (plan.serverError) throw apiErrors.server('SCEC0001');
    if (path === null) throw apiErrors.notFound('The resource searched for was not found.');
    const match = matchRoute(req.method ?? 'GET', path);
    if (!match || 'methodMismatch' in match) throw apiErrors.notFound('The resource searched for was not found.');
    const q = new QueryReader(url.searchParams);
    const sandbox = rt.sandboxAll || db.sandbox === true;
    const site = headerSite(db, req.headers, match.route, sandbox, rt.rules, q);
    const result = match.route.handler({
      rt,
      db,
      headerSite: site,
      sandbox,
      q,
      params: match.params,
      now: rt.clock.now(),
      method: req.method ?? 'GET',
    });
    body = serialize(result, plan);
  } catch (err) {
    const apiErr = err instanceof ApiError ? err : apiErrors.server('SCEC0002');
    if (!(err instanceof ApiError)) log?.(`simulator: ${req.method} ${req.url} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    status = apiErr.status;
    body = toJson(errorBody(apiErr, plan.nested));
  }
  await sleep(plan.responseDelayMs);
  if (plan.drop) {
    req.socket.destroy();
    return;
  }
  res.writeHead(status, headers);
  res.end(body);
}

function serialize(result: HandlerResult, plan: FaultPlan): string {
  let data: Record<string, unknown> = result.data;
  if (result.listKey && plan.nullTotal && 'total' in data) data = { ...data, total: null };
  if (result.listKey && plan.malformed) {
    const list = data[result.listKey];
    if (plan.malformed === 'schema' && Array.isArray(list) && list.length > 0) {
      // Valid JSON, but one item breaks the schema: its first field has the wrong type.
      const [first, ...rest] = list as Record<string, unknown>[];
      const key = Object.keys(first ?? {})[0] ?? 'id';
      data = { ...data, [result.listKey]: [{ ...first, [key]: { unexpected: true } }, ...rest] };
    } else {
      const text = toJson({ data });
      return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    }
  }
  return toJson({ data });
}
