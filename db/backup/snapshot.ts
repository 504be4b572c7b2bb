/**
 * `createBackup`: a consistent online snapshot of the live database into the backup folder, checked
 * (`PRAGMA integrity_check`) and described by its manifest (SHA-256, size, schema migration, rows
 * per table, newest synced day per database). Safe while the app and a sync write: see worker.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BackupError } from './errors';
import { backupBaseName, MANIFEST_SUFFIX, PARTIAL_SUFFIX, SNAPSHOT_SUFFIX, writeManifest, type BackupManifest } from './manifest';
import { knownMigrations } from './migrations';
import { runBackupWorker, WorkerJobError } from './worker';

export interface BackupResult {
  snapshotPath: string;
  manifestPath: string;
  manifest: BackupManifest;
  /** Seconds the page copy itself took (the manifest's `seconds` adds the checks). */
  copySeconds: number;
}

export async function createBackup(input: { databasePath: string; backupDir: string; now?: Date }): Promise<BackupResult> {
  const { databasePath, backupDir } = input;
  const at = input.now ?? new Date();
  if (!fs.existsSync(databasePath)) throw new BackupError(`There is no database at ${databasePath} to back up.`);
  try {
    fs.mkdirSync(backupDir, { recursive: true });
  } catch (error) {
    throw new BackupError(`The backup folder ${backupDir} cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'}); check BACKUP_DIR.`);
  }
  const base = backupBaseName(databasePath, at);
  const snapshotPath = path.join(backupDir, `${base}${SNAPSHOT_SUFFIX}`);
  const manifestPath = path.join(backupDir, `${base}${MANIFEST_SUFFIX}`);
  const partial = path.join(backupDir, `${base}${PARTIAL_SUFFIX}`);
  if (fs.existsSync(manifestPath)) throw new BackupError(`A backup named ${base} already exists; try again in a moment.`);

  const started = performance.now();
  let facts;
  try {
    facts = await runBackupWorker({ op: 'snapshot', source: databasePath, target: partial });
  } catch (error) {
    fs.rmSync(partial, { force: true });
    if (error instanceof WorkerJobError) {
      throw new BackupError(`The backup of ${databasePath} failed: ${error.message.replace(/\.$/, '')}.`, { cause: error });
    }
    throw error;
  }
  if (facts.unreadable || facts.problems.length) {
    fs.rmSync(partial, { force: true });
    throw new BackupError(
      `The snapshot of ${databasePath} failed SQLite's integrity check (${facts.unreadable ?? facts.problems[0]}), so it was not kept; the database itself may be damaged.`,
    );
  }
  const tag = facts.migration ? (knownMigrations().find((m) => m.createdAt === facts.migration!.createdAt && m.hash === facts.migration!.hash)?.tag ?? null) : null;
  const manifest: BackupManifest = {
    app: 'washboard',
    version: 1,
    createdAt: at.toISOString(),
    dialect: 'sqlite',
    snapshot: path.basename(snapshotPath),
    sizeBytes: facts.sizeBytes,
    sha256: facts.sha256,
    migration: facts.migration ? { ...facts.migration, tag } : null,
    tables: facts.tables,
    newestSyncedDay: facts.newestSyncedDay,
    source: databasePath,
    seconds: Math.round(performance.now() - started) / 1000,
  };
  // The snapshot gets its final name first, the manifest last: a crash in between leaves a file
  // that no listing counts as a good backup.
  fs.renameSync(partial, snapshotPath);
  writeManifest(manifestPath, manifest);
  return { snapshotPath, manifestPath, manifest, copySeconds: facts.copySeconds };
}
