/** A real HTTP server on 127.0.0.1:0 so transport tests exercise fetch, sockets and timeouts for real. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Permit, RateLimiter, ReleaseOutcome } from '@/lib/sonnys/rate-limit/types';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

export interface Reply {
  status?: number;
  /** Serialised as JSON unless `raw` is given. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** Wait before answering (to trigger client timeouts). */
  delayMs?: number;
  /** Drop the connection without answering (a connection error on the client). */
  destroy?: boolean;
}

export type Handler = (req: RecordedRequest, index: number) => Reply | Promise<Reply>;

export interface TestServer {
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: req.headers,
    };
    requests.push(recorded);
    const reply = await handler(recorded, requests.length - 1);
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.destroy) {
      req.socket.destroy();
      return;
    }
    const payload = reply.raw ?? JSON.stringify(reply.body ?? {});
    res.writeHead(reply.status ?? 200, { 'content-type': reply.raw ? 'text/plain' : 'application/json', ...reply.headers });
    res.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A limiter that grants at once and records every acquire and release, in order. */
export function recordingLimiter() {
  const events: string[] = [];
  const releases: ReleaseOutcome[] = [];
  let next = 0;
  const limiter: RateLimiter = {
    async acquire(apiId, options) {
      const id = `p${++next}`;
      events.push(`acquire:${id}:${options?.priority ?? 'default'}`);
      const permit: Permit = {
        id,
        apiId,
        grantedAt: Date.now(),
        async release(outcome) {
          releases.push(outcome ?? {});
          events.push(`release:${id}`);
        },
      };
      return permit;
    },
    async snapshot() {
      throw new Error('not used in these tests');
    },
  };
  return { limiter, events, releases };
}

/** Sleep that records the requested delays and returns at once. */
export function recordingSleep() {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms: number) => {
      delays.push(ms);
    },
  };
}

export function listBody(key: string, items: unknown[], total: number | null, offset = 1, limit = 100) {
  return { data: { [key]: items, offset, limit, total } };
}
