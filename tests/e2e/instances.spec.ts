/**
 * Several instances on one Postgres (issue 14): two `npm start` on two ports and a CLI sync, all on
 * one database and one API ID per Sonny's database, as an operator runs them behind a load
 * balancer. Their start-up syncs and the CLI contend for the same leases and the same budget:
 * the API (the simulator, behind a proxy that counts what it answers) must never answer 429, each
 * database must have one run at a time, the stored days must equal the simulator's truth, and a
 * person signed in on one instance is signed in on the other, which serves the same figures.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { expect, test } from './fixtures';
import { addDays, toLocalDate } from '@/lib/calendar';
import { startSimulator, type Simulator } from '@/lib/simulator';

const RATE = '6/2s';
const OUT = './test-results/e2e-instances';

/** A proxy in front of the simulator (same paths) that counts its answers by status. */
async function countingProxy(target: string) {
  const statuses = new Map<number, number>();
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        statuses.set(answer.statusCode!, (statuses.get(answer.statusCode!) ?? 0) + 1);
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    /** The simulator's base URL, through the proxy. */
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${upstream.pathname.replace(/\/$/, '')}`,
    statuses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForHealth(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the instance on ${base} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the instance on ${base} did not answer in time`);
}

// Postgres only (playwright.config.ts runs this file in the postgres project): several instances
// share a database only there.
test.describe('two instances and a CLI sync on one Postgres', () => {
  let sim: Simulator;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let databaseUrl: string;
  const children: ChildProcess[] = [];

  test.beforeAll(async ({ storage }) => {
    fs.rmSync(OUT, { recursive: true, force: true });
    fs.mkdirSync(OUT, { recursive: true });
    const url = new URL(storage.databaseUrl);
    url.pathname = '/washboard_e2e_instances';
    databaseUrl = url.toString();
    spawnSync('node_modules/.bin/tsx', ['tests/e2e/postgres-database.ts', databaseUrl], { stdio: 'inherit' });
    sim = await startSimulator({ port: 0, throttle: { limit: 6, windowMs: 2000 } });
    proxy = await countingProxy(sim.url);
  });

  test.afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((resolve) => c.on('exit', resolve)) : null)));
    await proxy?.close();
    await sim?.close();
  });

  test('share one budget, run one sync at a time per database, store the truth and serve the same pages', async ({ browser }) => {
    test.setTimeout(480_000);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      BACKUP_DIR: `${OUT}/backups`,
      BACKUP_INTERVAL_HOURS: '0',
      SONNYS_DATABASES: sim.world.databases.map((d) => d.key).join(','),
      SONNYS_RATE_LIMIT: RATE,
      SYNC_BACKFILL_DAYS: '2',
      // Live mode syncs at start-up when a schedule is set; one hour keeps a second run out of the test.
      SYNC_INTERVAL_MINUTES: '60',
      SYNC_KPIS: 'off',
      NEXT_TELEMETRY_DISABLED: '1',
    };
    for (const d of sim.world.databases) {
      const prefix = `SONNYS_${d.key.toUpperCase()}`;
      Object.assign(env, { [`${prefix}_NAME`]: d.name, [`${prefix}_API_ID`]: d.apiId, [`${prefix}_API_KEY`]: d.apiKey, [`${prefix}_BASE_URL`]: proxy.url });
    }
    delete env.AUTH_SECRET;

    const ports = [await freePort(), await freePort()];
    const bases = ports.map((p) => `http://127.0.0.1:${p}`);
    for (const [i, port] of ports.entries()) {
      const log = fs.openSync(`${OUT}/instance-${i + 1}.log`, 'w');
      children.push(spawn('node_modules/.bin/tsx', ['scripts/start.ts'], { env: { ...env, PORT: String(port) }, stdio: ['ignore', log, log] }));
    }
    // The CLI joins while both instances start their own runs.
    const cliLog = fs.openSync(`${OUT}/cli.log`, 'w');
    const cli = spawn('node_modules/.bin/tsx', ['scripts/sync.ts'], { env, stdio: ['ignore', cliLog, cliLog] });
    children.push(cli);
    const cliExit = new Promise<number | null>((resolve) => cli.on('exit', resolve));
    await Promise.all(bases.map((b, i) => waitForHealth(b, children[i]!)));
    expect(await cliExit).toBe(0);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      // Every run ends (the instances' start-up runs may outlast the CLI's).
      await expect
        .poll(async () => Number((await client.query(`SELECT count(*) AS n FROM sync_runs WHERE status = 'running'`)).rows[0].n), { timeout: 300_000, intervals: [1000] })
        .toBe(0);
      // node-postgres returns bigint columns as strings: the epoch times become numbers here.
      const runs = (await client.query(`SELECT database_key, status, started_at, finished_at FROM sync_runs ORDER BY database_key, started_at`)).rows.map((r) => ({
        database_key: r.database_key as string,
        status: r.status as string,
        started_at: Number(r.started_at),
        finished_at: Number(r.finished_at),
      }));
      // One run at a time per database: each starts after the one before it finished.
      for (const [i, run] of runs.entries()) {
        const before = runs[i - 1];
        if (before?.database_key === run.database_key) expect(run.started_at).toBeGreaterThanOrEqual(before.finished_at);
      }
      for (const d of sim.world.databases) expect(runs.some((r) => r.database_key === d.key && r.status === 'succeeded')).toBe(true);
      expect(proxy.statuses.get(429) ?? 0).toBe(0);
      expect(proxy.statuses.get(200)).toBeGreaterThan(0);

      // The stored days equal the simulator's truth: yesterday, whole (today keeps filling in while the
      // simulator's clock runs, so it would only match as of the sync).
      for (const d of sim.world.databases) {
        for (const site of d.sites) {
          const zone = sim.truth.timezoneOf(d.key, site.code);
          const today = toLocalDate(sim.clock.now(), zone);
          for (const day of [addDays(today, -1)]) {
            const truth = sim.truth.day({ database: d.key, site: site.code, day });
            const stored = (
              await client.query(`SELECT transactions, revenue_cents FROM daily_rollups WHERE database_key = $1 AND site_code = $2 AND local_day = $3`, [d.key, site.code, day])
            ).rows[0] as { transactions: string; revenue_cents: string } | undefined;
            expect({ site: `${d.key}/${site.code}/${day}`, transactions: Number(stored?.transactions ?? 0), revenue: Number(stored?.revenue_cents ?? 0) }).toEqual({
              site: `${d.key}/${site.code}/${day}`,
              transactions: truth.completed,
              revenue: truth.revenueCents,
            });
          }
        }
      }
    } finally {
      await client.end();
    }

    // One account, made with the CLI; signed in on the first instance, the session holds on the second.
    const password = 'correct horse battery staple 14';
    const add = spawnSync('node_modules/.bin/tsx', ['scripts/users.ts', 'add', '--email', 'owner@example.com', '--role', 'owner'], {
      env,
      input: `${password}\n`,
      encoding: 'utf8',
    });
    expect(add.status, add.stderr).toBe(0);
    const context = await browser.newContext({ baseURL: bases[0] });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email', { exact: true }).fill('owner@example.com');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
    const csv = async (base: string) => {
      const response = await context.request.get(`${base}/api/reports/daily?preset=last7`);
      expect(response.status()).toBe(200);
      return response.text();
    };
    const [first, second] = [await csv(bases[0]!), await csv(bases[1]!)];
    expect(first.split('\n').length).toBeGreaterThan(2);
    expect(second).toBe(first);
    await page.goto(`${bases[1]}/`);
    await expect(page).toHaveURL(`${bases[1]}/`);
    await context.close();
  });
});
