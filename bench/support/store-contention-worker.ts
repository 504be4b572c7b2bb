/**
 * One of the processes of the limiter bench's contention run (forked by bench/limiter.ts with
 * `--import tsx`): presents a pool's worth of waiters to the shared store in a tight loop on one
 * API ID, releasing each grant at once, and prints how many decisions it made and how long each
 * took, as one JSON line (after a `ready` line). What it measures is the store's atomic step while other processes
 * hammer the same API ID: the lock, the read, the policy, the write.
 */
import { openDatabase, openPostgres } from '@/db';
import { ensureRateLimitSchema } from '@/db/sqlite/rate-limit-store';
import type { WaiterRequest } from '@/lib/sonnys/rate-limit/store';
import type { LimiterDatabase } from './limited-requests';

export interface ContentionWorkerOptions {
  database: LimiterDatabase;
  apiId: string;
  /** How long it runs once told to start (a line on stdin with the common start time, epoch ms). */
  durationMs: number;
  waiters: number;
  limit: number;
  windowMs: number;
  maxInFlightMs: number;
}

export interface ContentionWorkerReport {
  decisions: number;
  grants: number;
  /** Duration of every tryAcquire call, ms. */
  latencies: number[];
  /** Duration of the calls that granted at least one waiter, ms. */
  grantLatencies: number[];
}

const options = JSON.parse(process.argv[2] ?? '{}') as ContentionWorkerOptions;
const db =
  'url' in options.database
    ? openPostgres(options.database.url, { migrate: false, maxConnections: 2 })
    : openDatabase(options.database.file, { migrate: false });
if (db.kind === 'sqlite') ensureRateLimitSchema(db.sqlite);
const store = db.rateLimitStore;

let next = 0;
const newWaiter = (): WaiterRequest => {
  next += 1;
  return { waiterId: `w-${process.pid}-${next}`, priority: 'background', enqueuedAt: Date.now(), permitId: `p-${process.pid}-${next}` };
};
let waiters = Array.from({ length: options.waiters }, newWaiter);
const report: ContentionWorkerReport = { decisions: 0, grants: 0, latencies: [], grantLatencies: [] };

// Loading tsx takes seconds on a busy machine: say "ready", and start at the time the parent sends.
process.stdout.write('ready\n');
const startAt = await new Promise<number>((resolve) => {
  process.stdin.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
});
process.stdin.pause();
await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
const end = startAt + options.durationMs;
while (Date.now() < end) {
  const started = performance.now();
  const results = await store.tryAcquire({
    apiId: options.apiId,
    waiters,
    now: Date.now(),
    limit: options.limit,
    windowMs: options.windowMs,
    maxInFlightMs: options.maxInFlightMs,
    staleWaiterMs: 5_000,
    backgroundEvery: 5,
    clockStepToleranceMs: 250,
    clockStepped: false,
  });
  const took = performance.now() - started;
  report.decisions += 1;
  report.latencies.push(took);
  const granted = results.filter((r) => r.kind === 'granted');
  if (granted.length > 0) report.grantLatencies.push(took);
  report.grants += granted.length;
  const done = new Set(granted.map((r) => r.waiterId));
  for (const grant of granted) {
    if (grant.kind === 'granted') await store.release({ apiId: options.apiId, permitId: grant.permit.id, now: Date.now(), status: 200 });
  }
  waiters = waiters.map((w) => (done.has(w.waiterId) ? newWaiter() : w));
}
await db.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
