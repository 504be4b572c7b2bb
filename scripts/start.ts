/**
 * `npm start`: validate configuration, apply migrations, build when the build is missing or older
 * than the sources, then serve on PORT (default 3000).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { closeDb, getDb } from '@/db';
import { getConfigOrExit } from '@/lib/env';
import { isProcessRunning } from '@/lib/process/owner';

process.env.NEXT_TELEMETRY_DISABLED = '1';
const root = process.cwd();
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

const config = getConfigOrExit();
// Open (and migrate) the database once before serving: a bad DATABASE_URL fails here in one sentence.
const db = getDb();
try {
  await db.ping();
} catch (error) {
  console.error(`Cannot open the database at ${db.label}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
await closeDb();

const SOURCES = ['app', 'components', 'lib', 'db', 'public', 'next.config.ts', 'instrumentation.ts', 'proxy.ts', 'package-lock.json', 'tsconfig.json'];

function newestMtime(entry: string): number {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

function buildIsCurrent(): boolean {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return false;
  const built = fs.statSync(buildId).mtimeMs;
  return SOURCES.every((s) => newestMtime(s) <= built);
}

/**
 * Several instances started together from one checkout (two ports on one machine, issue 14) must
 * not run `next build` into the same folder at once: the first takes this lock and builds, the
 * others wait for it and find the build current. A lock left by a process that died is taken over.
 */
const LOCK = path.join(root, '.next-build.lock');

function takeBuildLock(): boolean {
  try {
    fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    const holder = Number(fs.readFileSync(LOCK, 'utf8'));
    if (holder && !isProcessRunning(holder)) {
      fs.rmSync(LOCK, { force: true });
      return takeBuildLock();
    }
    return false;
  }
}

if (!buildIsCurrent()) {
  let waited = false;
  while (!takeBuildLock()) {
    if (!waited) console.log('Waiting for another Washboard start to finish building...');
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  try {
    if (!buildIsCurrent()) {
      console.log('Building Washboard (first start or sources changed)...');
      const build = spawnSync(process.execPath, [nextBin, 'build'], { stdio: 'inherit', env: process.env });
      if (build.status !== 0) process.exit(build.status ?? 1);
    }
  } finally {
    fs.rmSync(LOCK, { force: true });
  }
}

console.log(
  `Washboard on http://localhost:${config.port} (${config.mode === 'demo' ? 'demo mode: embedded simulator' : `${config.databases.length} database(s)`})`,
);
// The app shuts itself down in order on SIGTERM/SIGINT (lib/server/runtime.ts): pages in flight
// commit and leases are released before it exits, which Next.js's own handler would not wait for.
const server = spawn(process.execPath, [nextBin, 'start', '-p', String(config.port)], {
  stdio: 'inherit',
  env: { ...process.env, NEXT_MANUAL_SIG_HANDLE: 'true' },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
