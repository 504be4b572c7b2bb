/**
 * One entry per operation for either dialect (issue 14): the CLIs and the web server's schedule
 * name the configured storage, and the dialect's own backup runs (SQLite's online backup API on a
 * worker, or pg_dump / pg_restore). Listing and retention take `backupSubject(source)` as the
 * name the backups are filed under.
 */
import type { BackupSource } from './manifest';
import { createPostgresBackup, restorePostgresBackup } from './postgres';
import { restoreBackup, type RestoreResult } from './restore';
import { createBackup, type BackupResult } from './snapshot';

export function createBackupOf(source: BackupSource, backupDir: string, now?: Date): Promise<BackupResult> {
  return source.dialect === 'sqlite' ? createBackup({ databasePath: source.path, backupDir, now }) : createPostgresBackup({ url: source.url, backupDir, now });
}

export function restoreBackupInto(source: BackupSource, input: { from: string; force?: boolean }): Promise<RestoreResult> {
  return source.dialect === 'sqlite' ? restoreBackup({ ...input, databasePath: source.path }) : restorePostgresBackup({ ...input, url: source.url });
}
