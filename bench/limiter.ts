/**
 * Rate limiter benchmark (issue 15): how close the shared limiter paces a sync to the server's
 * physical limit, without a single 429.
 *
 * A loopback server (`support/throttled-server.ts`) implements the documented fixed window (20 per
 * 15 s per API ID, opened at the first arrival) with a uniform random delay on each leg. A run
 * issues N requests the way a sync does, from a pool of 20 workers per process that each wait for a
 * permit, send, release and loop; with two processes each issues N / 2 and they share the API ID
 * through one SQLite file, or one Postgres database (a pool each) when Postgres is named. Runs: 3
 * and 20 windows (60 and 400 requests), one and two processes, legs of 0-150 ms and 0-500 ms.
 *
 * Postgres (issue 14) runs side by side with SQLite when `--postgres=postgres://…` names a server,
 * or `--postgres` alone with DATABASE_URL a postgres:// URL: the bench creates a database of its
 * own there and drops it afterwards. It then also measures the stores under CONTENTION: 4
 * processes each presenting 20 waiters to one API ID in a tight loop (window compressed to
 * 250 ms so grants keep coming, a realistic ~200 records within the horizon), reporting decisions
 * per second and the latency of a decision (p50/p95/p99), the figure that decided against a
 * Redis store (issue 14: "added only if it measures better under contention").
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
 *   npx tsx bench/limiter.ts --quick --postgres=postgres://postgres@127.0.0.1:5432/postgres
 *
 * `run()` is what `npm run bench` aggregates.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { openPostgres } from '@/db';
import { openLimitedClient, sendLimitedRequests, type LimiterDatabase, type RequestTiming } from './support/limited-requests';
import type { WorkerGo, WorkerMessage, WorkerStart } from './support/limiter-worker';
import type { ContentionWorkerOptions, ContentionWorkerReport } from './support/store-contention-worker';
import { startThrottledServer, type ThrottledServer } from './support/throttled-server';

const LIMIT = 20;
const WINDOW_MS = 15_000;
/** Workers per process: the sync's default `concurrency` (one window's worth). */
const POOL = LIMIT;
/** Pacing targets by the upper bound of a leg's delay (ms, real window). */
const TARGETS: Record<number, number> = { 150: 0.97, 500: 0.95 };

export type StoreKind = 'sqlite' | 'postgres';

export interface Scenario {
  store: StoreKind;
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
  contention: ContentionResult[];
  summary: string;
}

export interface ContentionResult {
  store: StoreKind;
  processes: number;
  durationMs: number;
  decisions: number;
  decisionsPerSecond: number;
  grants: number;
  /** Latency of one decision (tryAcquire), ms. */
  p50: number;
  p95: number;
  p99: number;
  /** p95 of the decisions that granted. */
  grantP95: number;
}

interface BenchConfig {
  windowMs: number;
  /** Delays and window are divided by this (1, or 10 in quick mode). */
  scale: number;
  quick: boolean;
  scenarios: Scenario[];
  /** The server on which the bench creates its Postgres database, when Postgres runs too. */
  postgresUrl: string | null;
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
  const postgresUrl = postgresArg(args);
  const stores: StoreKind[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];
  const scenarios = legs.flatMap((maxLegMs) =>
    windows.flatMap((w) => processes.flatMap((p) => stores.map((store): Scenario => ({ store, maxLegMs, windows: w, processes: p })))),
  );
  const scale = quick ? 10 : 1;
  return { windowMs: WINDOW_MS / scale, scale, quick, scenarios, postgresUrl };
}

/** `--postgres=URL`, or `--postgres` (or nothing) with DATABASE_URL a postgres:// URL. */
function postgresArg(args: readonly string[]): string | null {
  const explicit = args.find((a) => a.startsWith('--postgres='));
  if (explicit) return explicit.slice('--postgres='.length);
  const env = process.env.DATABASE_URL ?? '';
  return /^postgres(ql)?:\/\//.test(env) ? env : null;
}

/** A database of the bench's own on the Postgres server, migrated; dropped by `drop()`. */
async function createPostgresDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `washboard_bench_limiter_${process.pid}`;
  const admin = openPostgres(serverUrl, { migrate: false, maxConnections: 1 });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    await admin.sql.run(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.sql.run(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.close();
  }
  const db = openPostgres(url.toString(), { maxConnections: 1 });
  await db.ready;
  await db.close();
  return {
    url: url.toString(),
    async drop() {
      const again = openPostgres(serverUrl, { migrate: false, maxConnections: 1 });
      try {
        await again.sql.run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await again.close();
      }
    },
  };
}

/** An empty shared store of the kind: a new SQLite file, or the bench's Postgres database emptied. */
async function tempDatabase(store: StoreKind, postgresUrl: string | null): Promise<{ database: LimiterDatabase; remove(): void }> {
  if (store === 'postgres') {
    const db = openPostgres(postgresUrl!, { migrate: false, maxConnections: 1 });
    try {
      await db.sql.run('TRUNCATE rate_limit_requests, rate_limit_waiters, rate_limit_state');
    } finally {
      await db.close();
    }
    return { database: { url: postgresUrl! }, remove: () => undefined };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-bench-limiter-'));
  return { database: { file: path.join(dir, 'limiter.db') }, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
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
    label: `${scenario.store}, ${scenario.windows} windows, ${scenario.processes === 1 ? 'one process' : 'two processes'}, 0-${scenario.maxLegMs} ms`,
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

async function runOneProcess(scenario: Scenario, cfg: BenchConfig, server: ThrottledServer, database: LimiterDatabase) {
  const client = openLimitedClient(database, cfg.windowMs);
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
    await client.close();
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

async function runTwoProcesses(scenario: Scenario, cfg: BenchConfig, server: ThrottledServer, database: LimiterDatabase) {
  // Create the schema once before both workers open the file.
  await openLimitedClient(database, cfg.windowMs).close();
  const start = (): WorkerStart => ({
    type: 'start',
    database,
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

async function runScenario(scenario: Scenario, cfg: BenchConfig, postgresUrl: string | null): Promise<LimiterRunResult> {
  const server = await startThrottledServer({
    limit: LIMIT,
    windowMs: cfg.windowMs,
    maxLegDelayMs: scenario.maxLegMs / cfg.scale,
  });
  const db = await tempDatabase(scenario.store, postgresUrl);
  try {
    const { results, startAt } =
      scenario.processes === 1
        ? await runOneProcess(scenario, cfg, server, db.database)
        : await runTwoProcesses(scenario, cfg, server, db.database);
    return summarizeRun(scenario, cfg, scenario.windows * LIMIT, results, server, startAt);
  } finally {
    await server.close();
    db.remove();
  }
}

const CONTENTION = { processes: 4, durationMs: 5_000, waiters: LIMIT, limit: LIMIT, windowMs: 250, maxInFlightMs: 2_000 };

/** Forks a contention worker; resolves once it is loaded, with a function that starts it. */
async function startContentionWorker(options: ContentionWorkerOptions): Promise<{ go(startAt: number): Promise<ContentionWorkerReport> }> {
  const script = fileURLToPath(new URL('./support/store-contention-worker.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  let onReady: (() => void) | null = null;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) onReady?.();
  });
  const finished = new Promise<ContentionWorkerReport>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`contention worker exited with ${code}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as ContentionWorkerReport);
    });
  });
  await Promise.race([new Promise<void>((resolve) => (onReady = resolve)), finished]);
  return {
    go(startAt) {
      child.stdin.end(`${startAt}\n`);
      return finished;
    },
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** 4 processes hammering one API ID of one store (see the file comment). */
async function runContention(store: StoreKind, postgresUrl: string | null): Promise<ContentionResult> {
  const db = await tempDatabase(store, postgresUrl);
  try {
    const { processes, durationMs, ...rest } = CONTENTION;
    const workers = await Promise.all(
      Array.from({ length: processes }, () => startContentionWorker({ database: db.database, apiId: 'bench-contention', durationMs, ...rest })),
    );
    const startAt = Date.now() + 250;
    const reports = await Promise.all(workers.map((w) => w.go(startAt)));
    const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const grantLatencies = reports.flatMap((r) => r.grantLatencies).sort((a, b) => a - b);
    const decisions = reports.reduce((n, r) => n + r.decisions, 0);
    return {
      store,
      processes,
      durationMs,
      decisions,
      decisionsPerSecond: decisions / (durationMs / 1000),
      grants: reports.reduce((n, r) => n + r.grants, 0),
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      grantP95: percentile(grantLatencies, 95),
    };
  } finally {
    db.remove();
  }
}

function formatContention(c: ContentionResult): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  return (
    `${c.store.padEnd(10)}${String(c.processes).padStart(6)}${String(c.decisions).padStart(11)}${c.decisionsPerSecond.toFixed(0).padStart(12)}` +
    `${String(c.grants).padStart(8)}${ms(c.p50).padStart(10)}${ms(c.p95).padStart(10)}${ms(c.p99).padStart(10)}${ms(c.grantP95).padStart(12)}`
  );
}

function formatRun(r: LimiterRunResult): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return (
    `${r.label.padEnd(52)}${`${r.received}/${r.issued}`.padStart(9)}${String(Math.max(r.rejected, r.clientRateLimited)).padStart(6)}` +
    `${s(r.spanMs).padStart(11)}${s(r.minimumMs).padStart(11)}${`${r.lossPerWindowMs.toFixed(0)} ms`.padStart(10)}` +
    `${r.pacing.toFixed(3).padStart(8)}${`>= ${r.target}`.padStart(9)}  ${r.ok ? 'OK' : 'MISSED'}`
  );
}

function formatSummary(cfg: BenchConfig, runs: LimiterRunResult[], contention: ContentionResult[], ok: boolean): string {
  const lines = [
    `Rate limiter pacing: ${LIMIT} requests / ${cfg.windowMs / 1000} s fixed window, a pool of ${POOL} workers per process` +
      (cfg.quick ? ' (QUICK: window and delays / 10; the targets are for the real window)' : ''),
    `pacing = physical minimum / span; span = first to last arrival at the server; minimum = (ceil(N / ${LIMIT}) - 1) x window;`,
    `loss = (span - minimum) per window boundary.`,
    '',
    `${'run'.padEnd(52)}${'recv/iss'.padStart(9)}${'429s'.padStart(6)}${'span'.padStart(11)}${'minimum'.padStart(11)}${'loss/w'.padStart(10)}${'pacing'.padStart(8)}${'target'.padStart(9)}`,
    ...runs.map(formatRun),
    '',
    ...(contention.length === 0
      ? []
      : [
          `Contention: ${CONTENTION.processes} processes x ${CONTENTION.waiters} waiters on one API ID for ${CONTENTION.durationMs / 1000} s, ` +
            `window ${CONTENTION.windowMs} ms (decision = one tryAcquire of a process's waiters)`,
          `${'store'.padEnd(10)}${'procs'.padStart(6)}${'decisions'.padStart(11)}${'decisions/s'.padStart(12)}${'grants'.padStart(8)}` +
            `${'p50'.padStart(10)}${'p95'.padStart(10)}${'p99'.padStart(10)}${'grant p95'.padStart(12)}`,
          ...contention.map(formatContention),
          '',
        ]),
    `targets (pacing, zero 429s, requests received = issued): ${ok ? 'met' : 'NOT met'}`,
  ];
  return lines.join('\n');
}

export async function run(args: readonly string[] = []): Promise<BenchResult> {
  const cfg = config(args);
  const postgres = cfg.postgresUrl ? await createPostgresDatabase(cfg.postgresUrl) : null;
  const runs: LimiterRunResult[] = [];
  const contention: ContentionResult[] = [];
  try {
    for (const scenario of cfg.scenarios) {
      const result = await runScenario(scenario, cfg, postgres?.url ?? null);
      runs.push(result);
      console.log(`  ${formatRun(result)}`);
    }
    if (postgres) {
      for (const store of ['sqlite', 'postgres'] as const) {
        const result = await runContention(store, postgres.url);
        contention.push(result);
        console.log(`  contention ${formatContention(result)}`);
      }
    }
  } finally {
    await postgres?.drop();
  }
  const ok = runs.every((r) => r.ok);
  return { name: 'limiter', ok, quick: cfg.quick, runs, contention, summary: formatSummary(cfg, runs, contention, ok) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const result = await run(process.argv.slice(2));
  console.log(result.summary);
  if (!result.ok) process.exitCode = 1;
}
