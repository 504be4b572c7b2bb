/**
 * The client side of the limiter benchmark, shared by the in-process run and the child processes:
 * a SharedRateLimiter on a SQLite file, and N concurrent GETs that each hold a permit from just
 * before sending until the response status is known (how the SDK's request pipeline uses it).
 */
import Database from 'better-sqlite3';
import { SharedRateLimiter } from '@/lib/sonnys/rate-limit/limiter';
import { ensureRateLimitSchema, SqliteRateLimitStore } from '@/lib/sonnys/rate-limit/sqlite-store';

export interface RequestTiming {
  sentAt: number;
  respondedAt: number;
  status: number;
}

export interface LimitedClient {
  limiter: SharedRateLimiter;
  close(): void;
}

/** Opens the shared SQLite file the way the app does (WAL, busy timeout) and puts a limiter on it. */
export function openLimitedClient(file: string, windowMs: number): LimitedClient {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  ensureRateLimitSchema(db);
  const limiter = new SharedRateLimiter({ store: new SqliteRateLimitStore(db), windowMs });
  return { limiter, close: () => db.close() };
}

export async function sendLimitedRequests(options: {
  limiter: SharedRateLimiter;
  url: string;
  apiId: string;
  count: number;
}): Promise<RequestTiming[]> {
  return Promise.all(
    Array.from({ length: options.count }, async (): Promise<RequestTiming> => {
      const permit = await options.limiter.acquire(options.apiId, { priority: 'background' });
      let status = 0;
      try {
        const response = await fetch(options.url, { headers: { 'X-Sonnys-API-Id': options.apiId } });
        status = response.status;
        const respondedAt = Date.now();
        await permit.release({ status, rateLimited: status === 429 });
        await response.text();
        return { sentAt: permit.grantedAt, respondedAt, status };
      } finally {
        await permit.release({ status: status || undefined }); // no-op unless fetch threw
      }
    }),
  );
}
