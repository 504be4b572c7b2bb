/**
 * A loopback HTTP server with the Data API's documented throttle and nothing else: per
 * X-Sonnys-API-Id, a counter opened at the first arrival, `limit` arrivals per `windowMs`, 429
 * `{"type":"RequestRateExceedError"}` beyond (openapi.yml "Throttling", FACTS §1.6). Rejected
 * requests do not extend or feed the window unless `countRejected` is set.
 *
 * Both legs get a uniform random delay: the request is "received" (counted) 0..maxLegDelayMs
 * after it reaches the socket, and the response leaves 0..maxLegDelayMs after that, so the client
 * cannot know when its request arrived, as with the real API.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ThrottledServerOptions {
  /** @default 20 */
  limit?: number;
  /** @default 15000 */
  windowMs?: number;
  /** Upper bound of each leg's uniform delay, in ms. @default 150 */
  maxLegDelayMs?: number;
  /** Whether a rejected arrival also increments the counter. @default false */
  countRejected?: boolean;
}

export interface ThrottledServerStats {
  accepted: number;
  rejected: number;
  /**
   * Every arrival, in order: when the server counted it (epoch ms) and whether it fitted. The
   * pacing benchmark measures from the first to the last of these, as the server sees the run.
   */
  arrivals: { at: number; accepted: boolean }[];
}

export interface ThrottledServer {
  url: string;
  stats: ThrottledServerStats;
  close(): Promise<void>;
}

interface WindowState {
  start: number;
  count: number;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startThrottledServer(options: ThrottledServerOptions = {}): Promise<ThrottledServer> {
  const limit = options.limit ?? 20;
  const windowMs = options.windowMs ?? 15_000;
  const maxLeg = options.maxLegDelayMs ?? 150;
  const windows = new Map<string, WindowState>();
  const stats: ThrottledServerStats = { accepted: 0, rejected: 0, arrivals: [] };

  /** The fixed window: true when the arrival fits, false for a 429. */
  function arrive(apiId: string, at: number): boolean {
    let window = windows.get(apiId);
    if (!window || at >= window.start + windowMs) {
      window = { start: at, count: 0 };
      windows.set(apiId, window);
    }
    if (window.count >= limit) {
      if (options.countRejected) window.count += 1;
      stats.rejected += 1;
      stats.arrivals.push({ at, accepted: false });
      return false;
    }
    window.count += 1;
    stats.accepted += 1;
    stats.arrivals.push({ at, accepted: true });
    return true;
  }

  const server = http.createServer((req, res) => {
    const apiId = String(req.headers['x-sonnys-api-id'] ?? '');
    req.resume();
    req.on('end', async () => {
      await delay(Math.random() * maxLeg);
      const accepted = arrive(apiId, Date.now());
      await delay(Math.random() * maxLeg);
      const body = accepted
        ? { data: { ok: true } }
        : { type: 'RequestRateExceedError', message: 'Rate limit exceeded for this API ID' };
      res.writeHead(accepted ? 200 : 429, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  // Longer than any run: a client that keeps its connections between windows would otherwise race
  // the server closing one that sat idle (an idle pool socket on a busy machine: "socket hang up").
  server.keepAliveTimeout = 30 * 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1/transaction/list`,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
