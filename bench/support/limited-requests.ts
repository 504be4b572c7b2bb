/**
 * The client side of the limiter benchmark, shared by the in-process run and the child processes:
 * a SharedRateLimiter on the shared database (SQLite or Postgres), and a pool of workers that each take a permit, send one
 * GET, release the permit once the response is complete, and loop until the process's share of the
 * requests has been issued. That is how the sync spends the budget (`lib/sync/engine.ts`: a pool of
 * `concurrency` page fetches, each waiting for a permit), so the queue at the limiter is what a
 * sync keeps there.
 */
import http from 'node:http';
import { openDatabase, openPostgres } from '@/db';
import { ensureRateLimitSchema } from '@/db/sqlite/rate-limit-store';
import { SharedRateLimiter } from '@/lib/sonnys/rate-limit/limiter';

export interface RequestTiming {
  sentAt: number;
  respondedAt: number;
  status: number;
}

/** Where the shared store lives: a SQLite file, or a migrated Postgres database. */
export type LimiterDatabase = { file: string } | { url: string };

export interface LimitedClient {
  limiter: SharedRateLimiter;
  close(): Promise<void>;
}

/**
 * Opens the shared database the way the app does (SQLite: WAL, busy timeout; Postgres: a pool of
 * its own, as another instance of the app) and puts a limiter on its `rateLimitStore`.
 */
export function openLimitedClient(database: LimiterDatabase, windowMs: number): LimitedClient {
  if ('url' in database) {
    const db = openPostgres(database.url, { migrate: false, maxConnections: 4 });
    return { limiter: new SharedRateLimiter({ store: db.rateLimitStore, windowMs }), close: () => db.close() };
  }
  const db = openDatabase(database.file, { migrate: false });
  ensureRateLimitSchema(db.sqlite);
  return { limiter: new SharedRateLimiter({ store: db.rateLimitStore, windowMs }), close: () => db.close() };
}

/**
 * Connections stay open between windows. fetch() closes a connection idle for 4 s, so every 15 s
 * window would open its 20 connections again, and on a busy 2-core machine that setup (not the
 * limiter) decided when the window's first request arrived. A client that paces at the limit keeps
 * its connections, as a browser or a tuned HTTP client does.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function get(url: string, apiId: string): Promise<{ status: number; respondedAt: number }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { 'X-Sonnys-API-Id': apiId } }, (response) => {
      const respondedAt = Date.now();
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, respondedAt }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

async function sendOne(limiter: SharedRateLimiter, url: string, apiId: string): Promise<RequestTiming> {
  const permit = await limiter.acquire(apiId, { priority: 'background' });
  let status = 0;
  try {
    const response = await get(url, apiId);
    status = response.status;
    await permit.release({ status, rateLimited: status === 429 });
    return { sentAt: permit.grantedAt, respondedAt: response.respondedAt, status };
  } finally {
    await permit.release({ status: status || undefined }); // no-op unless the request failed
  }
}

/** Issues `count` requests from a pool of `concurrency` workers; resolves with every timing. */
export async function sendLimitedRequests(options: {
  limiter: SharedRateLimiter;
  url: string;
  apiId: string;
  count: number;
  concurrency: number;
}): Promise<RequestTiming[]> {
  const results: RequestTiming[] = [];
  let remaining = options.count;
  const worker = async () => {
    while (remaining > 0) {
      remaining -= 1;
      results.push(await sendOne(options.limiter, options.url, options.apiId));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, options.count)) }, worker));
  return results;
}
