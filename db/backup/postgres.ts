/**
 * Backups of a Postgres database (issue 14): the same manifest and retention as SQLite's, with
 * Postgres's own tools doing the copy.
 *
 * - Snapshot: `pg_dump --format=custom` run inside a REPEATABLE READ transaction's exported
 *   snapshot (`pg_export_snapshot` + `--snapshot`), so the dump, the manifest's row counts, its
 *   schema migration and its newest synced days all describe the same instant, while every
 *   instance keeps writing. A transaction-level advisory lock lets one instance back up at a time.
 * - Restore: the manifest, the size and the SHA-256 are checked and the snapshot's migration must
 *   be one this version knows, all before the database is touched; then `pg_restore --clean
 *   --if-exists --single-transaction` replaces the schema's contents in one transaction (a failure
 *   leaves the database as it was).
 *
 * The password reaches the tools through PGPASSWORD (pg-tools.ts), never a command line or a log.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { POSTGRES_MIGRATIONS_FOLDER } from '@/db/postgres';
import { connectionProblem } from '@/db/postgres/errors';
import { isClaimLive, parseOwner } from '@/lib/process/owner';
import { redactDatabaseUrl } from '@/lib/env';
import { BackupError } from './errors';
import { backupBaseName, backupSubject, DUMP_PARTIAL_SUFFIX, DUMP_SUFFIX, MANIFEST_SUFFIX, readManifest, writeManifest, type BackupManifest } from './manifest';
import { knownMigrations } from './migrations';
import { PgToolError, runPgTool } from './pg-tools';
import { dialectMismatch, resolveBackupFiles, type RestoreResult } from './restore';
import type { BackupResult } from './snapshot';

/** An arbitrary constant: the advisory lock of a backup in progress. */
const BACKUP_LOCK = 7_314_202_615;

async function sha256Of(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'washboard-backup' });
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(connectionProblem(url, error), { cause: error });
  }
  return client;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** Row counts, schema migration and newest synced days, as the snapshot of `client`'s transaction sees them. */
async function describeDatabase(client: pg.Client): Promise<Pick<BackupManifest, 'tables' | 'migration' | 'newestSyncedDay'>> {
  const names = (
    await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`)
  ).rows.map((r) => r.name);
  const tables: Record<string, number> = {};
  for (const name of names) tables[name] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(name)}`)).rows[0]!.n);
  const hasMigrations = (await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'drizzle' AND table_name = '__drizzle_migrations'`)).rowCount;
  const last = hasMigrations
    ? (await client.query<{ hash: string; created_at: string }>('SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC, id DESC LIMIT 1')).rows[0]
    : undefined;
  const migration = last
    ? (() => {
        const createdAt = Number(last.created_at);
        const tag = knownMigrations(POSTGRES_MIGRATIONS_FOLDER).find((m) => m.createdAt === createdAt && m.hash === last.hash)?.tag ?? null;
        return { hash: last.hash, createdAt, tag };
      })()
    : null;
  const newestSyncedDay: Record<string, string> = {};
  if (names.includes('site_coverage')) {
    const rows = await client.query<{ k: string; d: string }>('SELECT database_key AS k, max(local_day) AS d FROM site_coverage GROUP BY database_key ORDER BY database_key');
    for (const r of rows.rows) newestSyncedDay[r.k] = r.d;
  }
  return { tables, migration, newestSyncedDay };
}

export async function createPostgresBackup(input: { url: string; backupDir: string; now?: Date }): Promise<BackupResult> {
  const { url, backupDir } = input;
  const at = input.now ?? new Date();
  const label = redactDatabaseUrl(url);
  try {
    fs.mkdirSync(backupDir, { recursive: true });
  } catch (error) {
    throw new BackupError(`The backup folder ${backupDir} cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'}); check BACKUP_DIR.`);
  }
  const base = backupBaseName(backupSubject({ dialect: 'postgres', url }), at);
  const snapshotPath = path.join(backupDir, `${base}${DUMP_SUFFIX}`);
  const manifestPath = path.join(backupDir, `${base}${MANIFEST_SUFFIX}`);
  const partial = path.join(backupDir, `${base}${DUMP_PARTIAL_SUFFIX}`);
  if (fs.existsSync(manifestPath)) throw new BackupError(`A backup named ${base} already exists; try again in a moment.`);

  const started = performance.now();
  const client = await connect(url);
  let facts: Pick<BackupManifest, 'tables' | 'migration' | 'newestSyncedDay'>;
  let copySeconds: number;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const locked = (await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [BACKUP_LOCK])).rows[0]!.locked;
    if (!locked) throw new BackupError(`Another Washboard instance is backing up ${label} right now; this backup was skipped.`);
    const snapshot = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
    facts = await describeDatabase(client);
    const copyStarted = performance.now();
    fs.rmSync(partial, { force: true });
    await runPgTool('pg_dump', ['--format=custom', `--snapshot=${snapshot}`, '--no-password', `--file=${partial}`], url);
    copySeconds = (performance.now() - copyStarted) / 1000;
    await client.query('COMMIT');
  } catch (error) {
    fs.rmSync(partial, { force: true });
    await client.query('ROLLBACK').catch(() => undefined);
    if (error instanceof PgToolError) throw new BackupError(`The backup of ${label} failed: ${error.message.replace(/\.$/, '')}.`, { cause: error });
    if (error instanceof BackupError) throw error;
    throw new BackupError(`The backup of ${label} failed: ${connectionProblem(url, error)}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
  const manifest: BackupManifest = {
    app: 'washboard',
    version: 1,
    createdAt: at.toISOString(),
    dialect: 'postgres',
    snapshot: path.basename(snapshotPath),
    sizeBytes: fs.statSync(partial).size,
    sha256: await sha256Of(partial),
    migration: facts.migration,
    tables: facts.tables,
    newestSyncedDay: facts.newestSyncedDay,
    source: label,
    seconds: Math.round(performance.now() - started) / 1000,
  };
  // As for SQLite: the snapshot gets its final name first, the manifest last.
  fs.renameSync(partial, snapshotPath);
  writeManifest(manifestPath, manifest);
  return { snapshotPath, manifestPath, manifest, copySeconds };
}

/** Live sync leases in the database: a sync is writing (on any machine). */
async function liveSyncs(client: pg.Client, now: number): Promise<RestoreResult['overridden']> {
  const exists = (await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'sync_leases'`)).rowCount;
  if (!exists) return [];
  const leases = (await client.query<{ owner: string; expires_at: string }>('SELECT owner, expires_at FROM sync_leases')).rows;
  return leases
    .filter((l) => isClaimLive(l.owner, Number(l.expires_at), now))
    .map((l) => {
      const owner = parseOwner(l.owner);
      return { role: 'sync' as const, pid: owner?.pid ?? 0, host: owner?.host ?? '' };
    });
}

/** Verifies `from` (a Postgres backup) and restores it into the database at `url`. */
export async function restorePostgresBackup(input: { from: string; url: string; force?: boolean }): Promise<RestoreResult> {
  const { url } = input;
  const { snapshotPath, manifestPath } = resolveBackupFiles(input.from);
  if (!fs.existsSync(snapshotPath)) throw new BackupError(`There is no backup at ${snapshotPath}.`);
  if (!fs.existsSync(manifestPath)) {
    throw new BackupError(`${snapshotPath} has no manifest beside it (${path.basename(manifestPath)}), so it cannot be verified; nothing was restored.`);
  }
  const manifest = readManifest(manifestPath);
  if (!manifest) throw new BackupError(`${manifestPath} is not a Washboard backup manifest; nothing was restored.`);
  if (manifest.dialect !== 'postgres') throw new BackupError(dialectMismatch(snapshotPath, manifest.dialect, 'postgres'));
  const size = fs.statSync(snapshotPath).size;
  if (size !== manifest.sizeBytes) {
    throw new BackupError(`${snapshotPath} is ${size} bytes but its manifest says ${manifest.sizeBytes}: it is incomplete or was changed; nothing was restored.`);
  }
  if ((await sha256Of(snapshotPath)) !== manifest.sha256) {
    throw new BackupError(`${snapshotPath} does not match the SHA-256 checksum in its manifest: it was damaged or changed after the backup; nothing was restored.`);
  }
  const stated = manifest.migration;
  if (!stated) throw new BackupError(`${snapshotPath} is not a Washboard database (it has no schema migrations); nothing was restored.`);
  if (!knownMigrations(POSTGRES_MIGRATIONS_FOLDER).some((m) => m.hash === stated.hash && m.createdAt === stated.createdAt)) {
    throw new BackupError(
      `${snapshotPath} was made by a version of Washboard whose schema${stated.tag ? ` (${stated.tag})` : ''} this version does not know; restore it with that version; nothing was restored.`,
    );
  }
  const client = await connect(url);
  let overridden: RestoreResult['overridden'];
  try {
    overridden = await liveSyncs(client, Date.now());
  } finally {
    await client.end().catch(() => undefined);
  }
  if (overridden.length && !input.force) {
    throw new BackupError(`A sync is writing to ${redactDatabaseUrl(url)} (${overridden.map((h) => `pid ${h.pid} on ${h.host}`).join(', ')}); stop Washboard first, or pass --force if it is not running.`);
  }
  try {
    await runPgTool('pg_restore', ['--clean', '--if-exists', '--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', '--no-password', `--dbname=${databaseName(url)}`, snapshotPath], url);
  } catch (error) {
    if (error instanceof PgToolError) throw new BackupError(`The restore into ${redactDatabaseUrl(url)} failed and was rolled back: ${error.message.replace(/\.$/, '')}.`, { cause: error });
    throw error;
  }
  return { snapshotPath, manifest, replacedPath: null, overridden };
}

/** `--dbname` takes the name only: host, user and password come from libpq's environment. */
const databaseName = (url: string) => decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
