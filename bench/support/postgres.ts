/**
 * A Postgres server for the benchmarks that measure Washboard on Postgres beside SQLite (issue 14).
 *
 * `BENCH_POSTGRES_URL` names a server to use as it is. Otherwise the bench keeps a cluster of its own
 * in bench/.cache/postgres (Debian's postgresql package, installed when missing), started for the
 * run and stopped after, so the 5-million-transaction copy survives between runs like the SQLite
 * fixture beside it. As root the cluster runs as the `postgres` user (initdb refuses root).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DATA_DIR = path.join(ROOT, 'bench', '.cache', 'postgres');

function binDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : null;
}

function ensureInstalled(): string {
  let bin = binDir();
  if (bin) return bin;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'update', '-qq'], { env, stdio: 'ignore' });
  spawnSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'install', '-y', '-qq', 'postgresql'], { env, stdio: 'ignore' });
  bin = binDir();
  if (!bin) throw new Error("Postgres is not installed and apt-get could not install it: install Debian's postgresql package, or set BENCH_POSTGRES_URL.");
  return bin;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface BenchPostgres {
  /** An administrative URL (database `postgres`); {@link databaseUrl} names another database on it. */
  url: string;
  databaseUrl(name: string): string;
  stop(): void;
}

/** The bench's Postgres server, started (and the cluster created on first use). */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  const given = process.env.BENCH_POSTGRES_URL;
  if (given) {
    return { url: given, databaseUrl: (name) => withDatabase(given, name), stop: () => {} };
  }
  const bin = ensureInstalled();
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) => {
    const argv = asRoot ? ['runuser', '-u', 'postgres', '--', path.join(bin, command), ...args] : [path.join(bin, command), ...args];
    const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${(result.stderr || result.stdout).trim().split('\n').at(-1)}`);
  };
  if (!fs.existsSync(path.join(DATA_DIR, 'PG_VERSION'))) {
    fs.mkdirSync(DATA_DIR, { recursive: true });
    if (asRoot) spawnSync('chown', ['-R', 'postgres:postgres', DATA_DIR]);
    run('initdb', ['-D', DATA_DIR, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  }
  const port = await freePort();
  // Settings for a benchmark of the app, not of the disk: the pages and ingest read and write
  // through shared buffers like a production server sized for this 24 GiB machine would.
  const options = `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c max_connections=200 -c synchronous_commit=on`;
  run('pg_ctl', ['-D', DATA_DIR, '-w', '-l', path.join(DATA_DIR, 'server.log'), '-o', options, 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    databaseUrl: (name) => withDatabase(url, name),
    stop: () => {
      try {
        run('pg_ctl', ['-D', DATA_DIR, '-w', '-m', 'fast', 'stop']);
      } catch {
        // Already stopped.
      }
    },
  };
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
