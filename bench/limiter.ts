/**
 * Rate limiter benchmark (issue 15): how close the shared limiter paces a sync to the server's
 * physical limit, without a single 429.
 *
 * A loopback server (`support/throttled-server.ts`) implements the documented fixed window (20 per
 * 15 s per API ID, opened at the first arrival) with a uniform random delay on each leg. A run
 * issues N requests the way a sync does, from a pool of 20 workers per process that each wait for a
 * permit, send, release and loop; with two processes each issues N / 2 and they share the API ID
 * through one SQLite file. Runs: 3 and 20 windows (60 and 400 requests), one and two processes,
 * legs of 0-150 ms and 0-500 ms.
 *
 * Pacing = physical minimum span / measured span, where the measured span runs from the first to
 * the last ARRIVAL at the server (what the server sees of the run) and the physical minimum for N
 * requests is (ceil(N / 20) - 1) x 15 s: the first window opens at the first arrival, and the last
 * window's requests cannot arrive before that many whole windows have passed.
 * Targets: pacing >= 0.97 at 0-150 ms and >= 0.95 at 0-500 ms, zero 429s, and the server saw
 * exactly the requests issued.
 *
 *   npx tsx bench/limiter.ts                 # every run, the real 15 s window (~25 minutes)
 *   npx tsx bench/limiter.ts --quick         # window and leg delays / 10, for iterating
 *   npx tsx bench/limiter.ts --legs=500 --windows=3 --processes=2   # a subset
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
import { startThrottledServer, type ThrottledServer } from './support/throttled-server';

const LIMIT = 20;
const WINDOW_MS = 15_000;
/** Workers per process: the sync's default `concurrency` (one window's worth). */
const POOL = LIMIT;
/** Pacing targets by the upper bound of a leg's delay (ms, real window). */
const TARGETS: Record<number, number> = { 150: 0.97, 500: 0.95 };

export interface Scenario {
  /** Upper bound of each leg's uniform delay at the real window, ms. */
  maxLegMs: number;
  /** Requests issued = windows x limit. */
  windows: number;
  processes: 1 | 2;
}

export interface LimiterRunResult extends Scenario {
  label: string;
  issued: number;
  /** Requests the server received (accepted + rejected). */
  received: number;
  /** 429s the server sent (the clients saw `clientRateLimited`). */
  rejected: number;
  clientRateLimited: number;
  /** First to last arrival at the server, ms. */
  spanMs: number;
  /** (ceil(issued / limit) - 1) x window, ms. */
  minimumMs: number;
  /** minimumMs / spanMs. */
  pacing: number;
  /** Beyond the minimum, per window boundary: (span - minimum) / (windows - 1), ms. */
  lossPerWindowMs: number;
  /** From the moment the requests were issued to the last response, ms. */
  elapsedMs: number;
  target: number;
  ok: boolean;
}

export interface BenchResult {
  name: string;
  /** True when every run met its targets (only meaningful with the real window). */
  ok: boolean;
  quick: boolean;
  runs: LimiterRunResult[];
  summary: string;
}

interface BenchConfig {
  windowMs: number;
  /** Delays and window are divided by this (1, or 10 in quick mode). */
  scale: number;
  quick: boolean;
  scenarios: Scenario[];
}

function numbersArg(args: readonly string[], name: string): number[] | null {
  const arg = args.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3).split(',').map(Number) : null;
}

function config(args: readonly string[] = []): BenchConfig {
  const quick = process.env.BENCH_QUICK === '1' || args.includes('--quick');
  const legs = numbersArg(args, 'legs') ?? [150, 500];
  const windows = numbersArg(args, 'windows') ?? [3, 20];
  const processes = (numbersArg(args, 'processes') ?? [1, 2]).filter((p): p is 1 | 2 => p === 1 || p === 2);
  const scenarios = legs.flatMap((maxLegMs) =>
    windows.flatMap((w) => processes.map((p): Scenario => ({ maxLegMs, windows: w, processes: p }))),
  );
  const scale = quick ? 10 : 1;
  return { windowMs: WINDOW_MS / scale, scale, quick, scenarios };
}

function tempDatabase(): { file: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-bench-limiter-'));
  return { file: path.join(dir, 'limiter.db'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function summarizeRun(
  scenario: Scenario,
  cfg: BenchConfig,
  issued: number,
  results: RequestTiming[],
  server: ThrottledServer,
  startAt: number,
): LimiterRunResult {
  const arrivals = server.stats.arrivals.map((a) => a.at);
  const spanMs = Math.max(...arrivals) - Math.min(...arrivals);
  const minimumMs = (Math.ceil(issued / LIMIT) - 1) * cfg.windowMs;
  const pacing = minimumMs / spanMs;
  const target = TARGETS[scenario.maxLegMs] ?? 0.95;
  const received = server.stats.accepted + server.stats.rejected;
  const clientRateLimited = results.filter((r) => r.status === 429).length;
  return {
    ...scenario,
    label: `${scenario.windows} windows, ${scenario.processes === 1 ? 'one process' : 'two processes'}, 0-${scenario.maxLegMs} ms`,
    issued,
    received,
    rejected: server.stats.rejected,
    clientRateLimited,
    spanMs,
    minimumMs,
    pacing,
    lossPerWindowMs: (spanMs - minimumMs) / Math.max(1, scenario.windows - 1),
    elapsedMs: Math.max(...results.map((r) => r.respondedAt)) - startAt,
    target,
    ok: server.stats.rejected === 0 && clientRateLimited === 0 && received === issued && results.length === issued && pacing >= target,
  };
}

async function runOneProcess(scenario: Scenario, cfg: BenchConfig, server: ThrottledServer, file: string) {
  const client = openLimitedClient(file, cfg.windowMs);
  try {
    const startAt = Date.now();
    const results = await sendLimitedRequests({
      limiter: client.limiter,
      url: server.url,
      apiId: 'bench-api',
      count: scenario.windows * LIMIT,
      concurrency: POOL,
    });
    return { results, startAt };
  } finally {
    client.close();
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

async function runTwoProcesses(scenario: Scenario, cfg: BenchConfig, server: ThrottledServer, file: string) {
  // Create the schema once before both workers open the file.
  openLimitedClient(file, cfg.windowMs).close();
  const start = (): WorkerStart => ({
    type: 'start',
    file,
    url: server.url,
    apiId: 'bench-api',
    count: (scenario.windows * LIMIT) / 2,
    concurrency: POOL,
    windowMs: cfg.windowMs,
  });
  const workers = await Promise.all([startWorker(start()), startWorker(start())]);
  // Both processes are loaded and connected; give them a common start time a moment ahead.
  const startAt = Date.now() + 250;
  const results = (await Promise.all(workers.map((w) => w.go(startAt)))).flat();
  return { results, startAt };
}

async function runScenario(scenario: Scenario, cfg: BenchConfig): Promise<LimiterRunResult> {
  const server = await startThrottledServer({
    limit: LIMIT,
    windowMs: cfg.windowMs,
    maxLegDelayMs: scenario.maxLegMs / cfg.scale,
  });
  const db = tempDatabase();
  try {
    const { results, startAt } =
      scenario.processes === 1
        ? await runOneProcess(scenario, cfg, server, db.file)
        : await runTwoProcesses(scenario, cfg, server, db.file);
    return summarizeRun(scenario, cfg, scenario.windows * LIMIT, results, server, startAt);
  } finally {
    await server.close();
    db.remove();
  }
}

function formatRun(r: LimiterRunResult): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return (
    `${r.label.padEnd(42)}${`${r.received}/${r.issued}`.padStart(9)}${String(Math.max(r.rejected, r.clientRateLimited)).padStart(6)}` +
    `${s(r.spanMs).padStart(11)}${s(r.minimumMs).padStart(11)}${`${r.lossPerWindowMs.toFixed(0)} ms`.padStart(10)}` +
    `${r.pacing.toFixed(3).padStart(8)}${`>= ${r.target}`.padStart(9)}  ${r.ok ? 'OK' : 'MISSED'}`
  );
}

function formatSummary(cfg: BenchConfig, runs: LimiterRunResult[], ok: boolean): string {
  const lines = [
    `Rate limiter pacing: ${LIMIT} requests / ${cfg.windowMs / 1000} s fixed window, a pool of ${POOL} workers per process` +
      (cfg.quick ? ' (QUICK: window and delays / 10; the targets are for the real window)' : ''),
    `pacing = physical minimum / span; span = first to last arrival at the server; minimum = (ceil(N / ${LIMIT}) - 1) x window;`,
    `loss = (span - minimum) per window boundary.`,
    '',
    `${'run'.padEnd(42)}${'recv/iss'.padStart(9)}${'429s'.padStart(6)}${'span'.padStart(11)}${'minimum'.padStart(11)}${'loss/w'.padStart(10)}${'pacing'.padStart(8)}${'target'.padStart(9)}`,
    ...runs.map(formatRun),
    '',
    `targets (pacing, zero 429s, requests received = issued): ${ok ? 'met' : 'NOT met'}`,
  ];
  return lines.join('\n');
}

export async function run(args: readonly string[] = []): Promise<BenchResult> {
  const cfg = config(args);
  const runs: LimiterRunResult[] = [];
  for (const scenario of cfg.scenarios) {
    const result = await runScenario(scenario, cfg);
    runs.push(result);
    console.log(`  ${formatRun(result)}`);
  }
  const ok = runs.every((r) => r.ok);
  return { name: 'limiter', ok, quick: cfg.quick, runs, summary: formatSummary(cfg, runs, ok) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const result = await run(process.argv.slice(2));
  console.log(result.summary);
  if (!result.ok) process.exitCode = 1;
}
