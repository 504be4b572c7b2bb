/**
 * Rate limiter benchmark: how close the shared limiter gets to the server's physical maximum
 * without a single 429.
 *
 * A loopback server implements the documented fixed window (20 per 15 s per API ID, opened at the
 * first arrival) with 0-150 ms on each leg. 200 GETs are issued at once from one process, then
 * 100 + 100 from two child processes sharing the API ID and the SQLite file.
 *
 *   npx tsx bench/limiter.ts            # ~2 × 2.3 minutes, the real 15 s window
 *   BENCH_QUICK=1 npx tsx bench/limiter.ts   # smoke run: window and leg delays ÷ 10
 *
 * `run()` is what `npm run bench` aggregates.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLimitedClient, sendLimitedRequests, type RequestTiming } from './support/limited-requests';
import type { WorkerGo, WorkerMessage, WorkerStart } from './support/limiter-worker';
import { startThrottledServer } from './support/throttled-server';

const LIMIT = 20;
const TOTAL_REQUESTS = 200;
const TARGET_RATIO = 0.97;

export interface LimiterRunResult {
  label: string;
  processes: number;
  requests: number;
  /** 429s seen by the clients (the server's own count is `serverRejected`). */
  rateLimited: number;
  serverRejected: number;
  /** From the moment the requests were issued to the last response, ms. */
  elapsedMs: number;
  /** (ceil(requests / limit) - 1) × window, ms. */
  minimumMs: number;
  /** minimumMs / elapsedMs. */
  ratio: number;
}

export interface BenchResult {
  name: string;
  /** True when every run had zero 429s and ratio >= 0.97 (only meaningful with the real window). */
  ok: boolean;
  runs: LimiterRunResult[];
  /** Printable report. */
  summary: string;
}

interface BenchConfig {
  windowMs: number;
  maxLegDelayMs: number;
  quick: boolean;
}

function config(): BenchConfig {
  const quick = process.env.BENCH_QUICK === '1';
  return { windowMs: quick ? 1_500 : 15_000, maxLegDelayMs: quick ? 15 : 150, quick };
}

function physicalMinimumMs(requests: number, windowMs: number): number {
  return (Math.ceil(requests / LIMIT) - 1) * windowMs;
}

function tempDatabase(): { file: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-bench-limiter-'));
  return { file: path.join(dir, 'limiter.db'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function summarizeRun(
  label: string,
  processes: number,
  results: RequestTiming[],
  startAt: number,
  serverRejected: number,
  windowMs: number,
): LimiterRunResult {
  const elapsedMs = Math.max(...results.map((r) => r.respondedAt)) - startAt;
  const minimumMs = physicalMinimumMs(results.length, windowMs);
  return {
    label,
    processes,
    requests: results.length,
    rateLimited: results.filter((r) => r.status === 429).length,
    serverRejected,
    elapsedMs,
    minimumMs,
    ratio: minimumMs / elapsedMs,
  };
}

async function runOneProcess(cfg: BenchConfig): Promise<LimiterRunResult> {
  const server = await startThrottledServer({ limit: LIMIT, windowMs: cfg.windowMs, maxLegDelayMs: cfg.maxLegDelayMs });
  const db = tempDatabase();
  const client = openLimitedClient(db.file, cfg.windowMs);
  try {
    const startAt = Date.now();
    const results = await sendLimitedRequests({
      limiter: client.limiter,
      url: server.url,
      apiId: 'bench-api',
      count: TOTAL_REQUESTS,
    });
    return summarizeRun('one process', 1, results, startAt, server.stats.rejected, cfg.windowMs);
  } finally {
    client.close();
    await server.close();
    db.remove();
  }
}

/** Forks a worker, opens its connection, and resolves with a function that starts it. */
async function startWorker(start: WorkerStart): Promise<{ go(startAt: number): Promise<RequestTiming[]> }> {
  const script = fileURLToPath(new URL('./support/limiter-worker.ts', import.meta.url));
  const child = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const messages: WorkerMessage[] = [];
  let notify: (() => void) | null = null;
  child.on('message', (message: WorkerMessage) => {
    messages.push(message);
    notify?.();
  });
  let exited: string | null = null;
  child.on('exit', (code) => {
    exited = `worker exited with code ${code}`;
    notify?.();
  });
  async function next(): Promise<WorkerMessage> {
    for (;;) {
      const message = messages.shift();
      if (message) return message;
      if (exited) throw new Error(exited);
      await new Promise<void>((resolve) => (notify = resolve));
    }
  }
  child.send(start);
  const ready = await next();
  if (ready.type !== 'ready') throw new Error(`worker did not start: ${JSON.stringify(ready)}`);
  return {
    async go(startAt) {
      child.send({ type: 'go', startAt } satisfies WorkerGo);
      const done = await next();
      if (done.type !== 'done') throw new Error(`worker failed: ${JSON.stringify(done)}`);
      return done.results;
    },
  };
}

async function runTwoProcesses(cfg: BenchConfig): Promise<LimiterRunResult> {
  const server = await startThrottledServer({ limit: LIMIT, windowMs: cfg.windowMs, maxLegDelayMs: cfg.maxLegDelayMs });
  const db = tempDatabase();
  // Create the schema once before both workers open the file.
  openLimitedClient(db.file, cfg.windowMs).close();
  try {
    const start = (): WorkerStart => ({
      type: 'start',
      file: db.file,
      url: server.url,
      apiId: 'bench-api',
      count: TOTAL_REQUESTS / 2,
      windowMs: cfg.windowMs,
    });
    const workers = await Promise.all([startWorker(start()), startWorker(start())]);
    // Both processes are loaded and connected; give them a common start time a moment ahead.
    const startAt = Date.now() + 250;
    const results = (await Promise.all(workers.map((w) => w.go(startAt)))).flat();
    return summarizeRun('two processes (100 + 100)', 2, results, startAt, server.stats.rejected, cfg.windowMs);
  } finally {
    await server.close();
    db.remove();
  }
}

function formatSummary(cfg: BenchConfig, runs: LimiterRunResult[], ok: boolean): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    `Rate limiter benchmark: ${LIMIT} requests / ${seconds(cfg.windowMs)} fixed window, each leg delayed 0-${cfg.maxLegDelayMs} ms` +
      (cfg.quick ? ' (BENCH_QUICK: window and delays ÷ 10; targets apply to the real window only)' : ''),
    `physical minimum = (ceil(requests / ${LIMIT}) - 1) × window: the last batch cannot be sent before that many whole`,
    `windows have passed (round trips not included); elapsed = requests issued → last response received.`,
    '',
    `${'run'.padEnd(28)}${'requests'.padStart(9)}${'429s'.padStart(6)}${'elapsed'.padStart(10)}${'minimum'.padStart(10)}${'ratio'.padStart(8)}`,
    ...runs.map(
      (r) =>
        `${r.label.padEnd(28)}${String(r.requests).padStart(9)}${String(Math.max(r.rateLimited, r.serverRejected)).padStart(6)}` +
        `${seconds(r.elapsedMs).padStart(10)}${seconds(r.minimumMs).padStart(10)}${r.ratio.toFixed(3).padStart(8)}`,
    ),
    '',
    `targets: zero 429s and ratio >= ${TARGET_RATIO} in every run: ${ok ? 'met' : 'NOT met'}`,
  ];
  return lines.join('\n');
}

export async function run(): Promise<BenchResult> {
  const cfg = config();
  const runs = [await runOneProcess(cfg), await runTwoProcesses(cfg)];
  const ok = runs.every((r) => r.rateLimited === 0 && r.serverRejected === 0 && r.ratio >= TARGET_RATIO);
  return { name: 'limiter', ok, runs, summary: formatSummary(cfg, runs, ok) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const result = await run();
  console.log(result.summary);
  if (!result.ok) process.exitCode = 1;
}
