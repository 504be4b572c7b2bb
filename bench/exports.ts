/**
 * Export load benchmark (issue 13: 200 slow downloads of an 80k-row transactions CSV made
 * /api/health take 38 s and the server grow from 179 to 534 MB). On the dashboard bench's archive,
 * with the built app (`next start`):
 *   - /api/health p50/p95 with no export open (for scale),
 *   - then while 50, and then 200, downloads of an ~80 000-row transactions CSV are open at once,
 *     each from its own address, signed in as one of 50 people, and reading at 32 KB/s (bench/support/slow-export-client.ts, a
 *     process of its own): at most 4 stream, the others get 429 at once; health is sampled while
 *     the 4 admitted ones are still being read,
 *   - the server's peak RSS (VmHWM) over the whole run.
 *
 * Target: health p95 under 200 ms in both cases; every download beyond the 4 slots refused with
 * 429 (none left hanging); server peak RSS under 300 MB.
 *
 * Standalone: `npx tsx bench/exports.ts`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchServerEnv, cachePath, ensureBuild, freePort, generate, peakRssMb, percentiles, rangeWithRows, readInfo, startBenchServer, waitFor, benchSessions, type Percentiles } from './dashboard';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS = { healthP95Ms: 200, peakRssMb: 300 };
const EXPORT_ROWS = 80_000;
const READ_BYTES_PER_SECOND = 32 * 1024;
/** Signed-in people the downloads come from (at most 2 exports each, 4 in all). */
const PEOPLE = 50;
const HEALTH_SECONDS = 10;
const HEALTH_EVERY_MS = 50;

interface Scenario extends Percentiles {
  downloads: number;
  admitted: number;
  refused: number;
  other: number;
  /** Bytes the admitted downloads had read when health sampling ended (they read slowly). */
  bytesRead: number;
  samples: number;
  serverRssMb: number;
}

export interface ExportsBenchResult {
  name: 'exports';
  ok: boolean;
  csvRows: number;
  idle: Percentiles & { samples: number };
  scenarios: Scenario[];
  serverPeakRssMb: number;
  serverRssBeforeMb: number;
  summary: string;
}

function rssMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** GET /api/health every HEALTH_EVERY_MS for HEALTH_SECONDS, one at a time, timing each. */
async function sampleHealth(base: string): Promise<Percentiles & { samples: number }> {
  const samples: number[] = [];
  const until = Date.now() + HEALTH_SECONDS * 1000;
  while (Date.now() < until) {
    const t0 = performance.now();
    const response = await fetch(`${base}/api/health`);
    await response.text();
    if (!response.ok) throw new Error(`/api/health answered ${response.status}`);
    samples.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, HEALTH_EVERY_MS));
  }
  return { ...percentiles(samples), samples: samples.length };
}

function request<T>(client: ChildProcess, message: string, type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string } & T) => {
      if (m.type !== type) return;
      client.off('message', onMessage);
      resolve(m);
    };
    client.on('message', onMessage);
    if (message) client.send(message);
  });
}

async function scenario(base: string, csvUrl: string, downloads: number, serverPid: number, cookies: string[]): Promise<Scenario> {
  const client = fork(path.join(ROOT, 'bench', 'support', 'slow-export-client.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, WASHBOARD_SLOW_CLIENT: JSON.stringify({ url: csvUrl, count: downloads, bytesPerSecond: READ_BYTES_PER_SECOND, cookies }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { statuses } = await request<{ statuses: number[] }>(client, '', 'opened');
    let serverRss = rssMb(serverPid);
    const rssTimer = setInterval(() => (serverRss = Math.max(serverRss, rssMb(serverPid))), 200);
    const health = await sampleHealth(base);
    clearInterval(rssTimer);
    const { bytes } = await request<{ bytes: number[] }>(client, 'progress', 'progress');
    return {
      downloads,
      admitted: statuses.filter((s) => s === 200).length,
      refused: statuses.filter((s) => s === 429).length,
      other: statuses.filter((s) => s !== 200 && s !== 429).length,
      bytesRead: bytes.reduce((a, b) => a + b, 0),
      ...health,
      serverRssMb: serverRss,
    };
  } finally {
    await request(client, 'stop', 'stopped');
    // Let the server see the closed sockets and free the slots before the next scenario.
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

export async function run(): Promise<ExportsBenchResult> {
  const cached = cachePath();
  const info = readInfo(cached) ?? (console.log('  generating the dashboard bench database first...'), generate(cached));
  const range = rangeWithRows(cached, EXPORT_ROWS);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-bench-exports-'));
  const copy = path.join(dir, 'bench.db');
  fs.copyFileSync(cached, copy);
  const port = await freePort();
  const env = benchServerEnv(copy, port, { BACKUP_INTERVAL_HOURS: '0' });
  ensureBuild(env);
  // Every download needs a session (issue 12), and the slots count per person: 50 people share them.
  const cookies = await benchSessions(copy, PEOPLE);
  const { server, base } = startBenchServer(env, port);
  try {
    await waitFor(`${base}/api/health`, server);
    const csvUrl = `${base}/api/reports/transactions?from=${range.from}&to=${range.to}`;
    for (let i = 0; i < 10; i++) await (await fetch(`${base}/api/health`)).text();
    const rssBefore = rssMb(server.pid!);
    const idle = await sampleHealth(base);
    const scenarios = [await scenario(base, csvUrl, 50, server.pid!, cookies), await scenario(base, csvUrl, 200, server.pid!, cookies)];
    const serverPeakRssMb = peakRssMb(server.pid!);

    const ok =
      scenarios.every((s) => s.p95 < TARGETS.healthP95Ms && s.admitted === 4 && s.refused === s.downloads - 4 && s.other === 0) &&
      serverPeakRssMb < TARGETS.peakRssMb;
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const summary = [
      `Exports: transactions CSV of ${range.rows.toLocaleString('en-US')} rows (${range.from} .. ${range.to}) from ${info.transactions.toLocaleString('en-US')} stored, read at ${READ_BYTES_PER_SECOND / 1024} KB/s per download`,
      `  /api/health with no export open: p50 ${ms(idle.p50)}, p95 ${ms(idle.p95)} (${idle.samples} samples)`,
      ...scenarios.map(
        (s) =>
          `  ${String(s.downloads).padStart(3)} downloads at once: ${s.admitted} streaming, ${s.refused} refused with 429${s.other ? `, ${s.other} other` : ''}; ` +
          `/api/health p50 ${ms(s.p50)}, p95 ${ms(s.p95)} (${s.samples} samples; target p95 < ${TARGETS.healthP95Ms} ms); ` +
          `${(s.bytesRead / 1e6).toFixed(1)} MB read by the streaming ones; server RSS up to ${s.serverRssMb.toFixed(0)} MB`,
      ),
      `  server peak RSS ${serverPeakRssMb.toFixed(0)} MB (${rssBefore.toFixed(0)} MB before the downloads; target < ${TARGETS.peakRssMb} MB)`,
      `  ${ok ? 'OK' : 'MISSED'}`,
    ].join('\n');
    return { name: 'exports', ok, csvRows: range.rows, idle, scenarios, serverPeakRssMb, serverRssBeforeMb: rssBefore, summary };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run();
  console.log(result.summary);
  process.exitCode = result.ok ? 0 : 1;
}
