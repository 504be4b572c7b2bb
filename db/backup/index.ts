/**
 * Backups of the archive, SQLite (issue 13) or Postgres (issue 14, pg_dump): online snapshots with a manifest, tiered retention,
 * verified restores, and the schedule the web server runs. Framework-free: the CLIs, the web
 * server and the tests use it alike.
 */
export { BackupError } from './errors';
export { backupBaseName, backupSubject, latestGoodBackup, listBackups, type BackupEntry, type BackupManifest, type BackupSource } from './manifest';
export { createBackupOf, restoreBackupInto } from './dispatch';
export { createBackup, type BackupResult } from './snapshot';
export { DEFAULT_RETENTION, pruneBackups, selectRetained, type PruneResult, type RetentionPolicy } from './retention';
export { currentHolders, resolveBackupFiles, restoreBackup, type RestoreResult } from './restore';
export { startBackupSchedule, type BackupSchedule } from './schedule';
