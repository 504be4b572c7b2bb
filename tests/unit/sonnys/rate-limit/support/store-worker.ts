/**
 * A child process for the two-process tests: opens the shared database (a SQLite file, or a
 * Postgres database with a pool of its own) through `db/`, sends `count` concurrent simulated
 * requests through a real-clock limiter, and prints what happened as one JSON line.
 * Run with `node --import tsx store-worker.ts <json options>`.
 */
import { openDatabase, openPostgres } from '@/db';
import { SharedRateLimiter } from '@/lib/sonnys/rate-limit/limiter';

interface WorkerOptions {
  /** The SQLite file, or (`url`) the Postgres database. */
  file?: string;
  url?: string;
  apiId: string;
  count: number;
  limit: number;
  windowMs: number;
  /** Epoch ms at which to start, so both processes begin together. */
  startAt: number;
  maxLegMs: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as WorkerOptions;
const db = options.url ? openPostgres(options.url, { migrate: false, maxConnections: 4 }) : openDatabase(options.file!, { migrate: false });
const limiter = new SharedRateLimiter({
  store: db.rateLimitStore,
  limit: options.limit,
  windowMs: options.windowMs,
  pollIntervalMs: 100,
  staleWaiterMs: 1_000,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

await sleep(Math.max(0, options.startAt - Date.now()));
const results = await Promise.all(
  Array.from({ length: options.count }, async (_, i) => {
    const permit = await limiter.acquire(options.apiId, { priority: i % 4 === 0 ? 'interactive' : 'background' });
    await sleep(Math.random() * options.maxLegMs);
    const arrivedAt = Date.now();
    await sleep(Math.random() * options.maxLegMs);
    await permit.release({ status: 200 });
    return { sentAt: permit.grantedAt, arrivedAt, respondedAt: Date.now() };
  }),
);
await db.close();
process.stdout.write(`${JSON.stringify({ pid: process.pid, results })}\n`);
