/**
 * Running Postgres's own tools (pg_dump, pg_restore) against a `postgres://` URL without the
 * password on any command line or in any log: the connection goes through the libpq environment
 * (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE), and the tools' messages are passed
 * on with the URL redacted.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { redactDatabaseUrl } from '@/lib/env';

/** libpq's environment for a URL (`?host=/socket/dir` and `?sslmode=` honoured). */
export function libpqEnv(url: string): Record<string, string> {
  const u = new URL(url);
  const env: Record<string, string> = {
    PGHOST: u.searchParams.get('host') ?? (decodeURIComponent(u.hostname) || 'localhost'),
    PGPORT: u.port || '5432',
    PGDATABASE: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    PGAPPNAME: 'washboard-backup',
  };
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

/** The database's name in a URL: what its backups are named after. */
export function databaseNameOf(url: string): string {
  return libpqEnv(url).PGDATABASE!;
}

/**
 * A tool of the newest Postgres installed the Debian way (/usr/lib/postgresql/<major>/bin: a newer
 * pg_dump reads older servers, never the reverse), else the one on PATH.
 */
export function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const root = '/usr/lib/postgresql';
  try {
    const majors = fs
      .readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) {
      const candidate = path.join(root, major, 'bin', name);
      if (fs.existsSync(candidate)) return candidate;
    }
  } catch {
    // Not Debian's layout: PATH decides.
  }
  return name;
}

export class PgToolError extends Error {
  override name = 'PgToolError';
}

/** Runs a tool; resolves when it exits 0, rejects with its last error lines (URL redacted) otherwise. */
export function runPgTool(name: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Only the variables a tool needs besides libpq's: nothing of the app's own secrets.
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: process.env.HOME ?? '/', ...libpqEnv(url) } as unknown as NodeJS.ProcessEnv;
    const child = spawn(pgTool(name), args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.once('error', (error) => {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(new PgToolError(missing ? `${name} is not installed (apt-get install postgresql-client)` : `${name} could not start (${error.message})`));
    });
    child.once('close', (code) => {
      if (code === 0) return resolve();
      const lines = stderr
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const last = (lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? `exit code ${code}`).split(url).join(redactDatabaseUrl(url));
      reject(new PgToolError(`${name} failed: ${last.replace(/^(pg_dump|pg_restore): (error: )?/, '')}`));
    });
  });
}
