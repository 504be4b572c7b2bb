/**
 * The heavy half of backups and restores, on a worker thread: the copy, `PRAGMA integrity_check`,
 * row counts and the SHA-256 of the file take seconds on a big archive, and the web server must
 * keep answering meanwhile (its periodic backup runs in-process).
 *
 * The copy uses SQLite's online backup API (better-sqlite3's `backup()`) with every page in ONE
 * step: that step reads under a single read transaction, so the snapshot is consistent, and a
 * write by another connection cannot restart it (SQLite restarts a page-by-page backup whenever
 * the source changes under it, which a sync in another process would do every second). In WAL mode
 * that read transaction blocks no writer; the WAL only grows until the copy ends.
 *
 * The worker's code is a plain JavaScript string run with `eval`, so it works the same under tsx
 * (CLIs, tests) and inside the Next.js server bundle, where a separate worker file would not exist;
 * it loads better-sqlite3 from the project's node_modules like the server does.
 */
import { Worker } from 'node:worker_threads';

export interface SnapshotFacts {
  sizeBytes: number;
  sha256: string;
  /** Why SQLite could not read the file at all (e.g. "file is not a database"); null when it could. */
  unreadable: string | null;
  /** `PRAGMA integrity_check` messages; empty when it said `ok`. */
  problems: string[];
  migration: { hash: string; createdAt: number } | null;
  tables: Record<string, number>;
  newestSyncedDay: Record<string, string>;
  /** Seconds the copy took (snapshot jobs only; 0 for inspections). */
  copySeconds: number;
}

export type WorkerJob = { op: 'snapshot'; source: string; target: string } | { op: 'inspect'; file: string };

const SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const Database = require(require.resolve('better-sqlite3', { paths: [process.cwd()] }));

function sha256(file) {
  const hash = crypto.createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  const fd = fs.openSync(file, 'r');
  try {
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

function inspect(file) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const problems = db.pragma('integrity_check').map((r) => String(Object.values(r)[0])).filter((m) => m !== 'ok');
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    const tables = {};
    for (const name of names) tables[name] = db.prepare('SELECT count(*) FROM "' + name.replace(/"/g, '""') + '"').pluck().get();
    const migration = names.includes('__drizzle_migrations')
      ? db.prepare('SELECT hash, created_at AS createdAt FROM __drizzle_migrations ORDER BY created_at DESC, id DESC LIMIT 1').get() ?? null
      : null;
    const newestSyncedDay = {};
    if (names.includes('site_coverage')) {
      for (const r of db.prepare('SELECT database_key AS k, max(local_day) AS d FROM site_coverage GROUP BY database_key ORDER BY database_key').all()) {
        newestSyncedDay[r.k] = r.d;
      }
    }
    return {
      problems: problems.slice(0, 5),
      tables,
      migration: migration ? { hash: String(migration.hash), createdAt: Number(migration.createdAt) } : null,
      newestSyncedDay,
    };
  } finally {
    db.close();
  }
}

async function snapshot(source, target) {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
  const started = process.hrtime.bigint();
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // After the first (sizing) step, every remaining page in one step: see the module comment.
    await db.backup(target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  // The copy keeps the source's WAL flag; a snapshot is one self-contained file.
  const copy = new Database(target);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  const fd = fs.openSync(target, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

(async () => {
  const job = workerData;
  const file = job.op === 'snapshot' ? job.target : job.file;
  const copySeconds = job.op === 'snapshot' ? await snapshot(job.source, job.target) : 0;
  // The checksum first: a file changed after its backup is reported as that, whatever SQLite makes of it.
  const whole = { copySeconds, sizeBytes: fs.statSync(file).size, sha256: sha256(file) };
  let facts;
  try {
    facts = { unreadable: null, ...inspect(file) };
  } catch (error) {
    facts = { unreadable: String((error && error.message) || error), problems: [], tables: {}, migration: null, newestSyncedDay: {} };
  }
  parentPort.postMessage({ ok: true, facts: { ...facts, ...whole } });
})().catch((error) => {
  parentPort.postMessage({ ok: false, message: String((error && error.message) || error), code: error && error.code });
});
`;

/** Why a worker job failed: SQLite's own words (e.g. "file is not a database") and its code. */
export class WorkerJobError extends Error {
  override name = 'WorkerJobError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** Runs one job on a fresh worker thread and returns what it found. */
export function runBackupWorker(job: WorkerJob): Promise<SnapshotFacts> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(SOURCE, { eval: true, workerData: job });
    let settled = false;
    worker.once('message', (m: { ok: true; facts: SnapshotFacts } | { ok: false; message: string; code?: string }) => {
      settled = true;
      if (m.ok) resolve(m.facts);
      else reject(new WorkerJobError(m.message, m.code));
    });
    worker.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the backup worker stopped (exit code ${code}) before it finished`));
    });
  });
}
