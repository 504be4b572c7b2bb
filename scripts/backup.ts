/**
 * `npm run backup`
 *
 * Writes a consistent online snapshot of DATABASE_URL's file (or, for a postgres:// URL, a
 * `pg_dump --format=custom` of the database) into BACKUP_DIR (default: `backups/` beside the
 * SQLite file), safe while the web server and a sync write, with its manifest beside it; then applies
 * the tiered retention (7 daily, 4 weekly, 12 monthly). Prints the snapshot's path and exits 0;
 * exits 1 with one sentence when it cannot.
 */
import { BackupError, backupSubject, createBackupOf, pruneBackups } from '@/db/backup';
import { getConfigOrExit } from '@/lib/env';

const config = getConfigOrExit();
try {
  const backup = await createBackupOf(config.storage, config.backupDir);
  const m = backup.manifest;
  const pruned = pruneBackups(config.backupDir, backupSubject(config.storage));
  const days = Object.entries(m.newestSyncedDay).map(([key, day]) => `${key} to ${day}`);
  console.error(
    `Backed up ${(m.sizeBytes / 1e6).toFixed(1)} MB in ${m.seconds.toFixed(1)} s: ${(m.tables.transactions ?? 0).toLocaleString('en-US')} transactions` +
      `${days.length ? `, synced ${days.join(', ')}` : ''}; schema ${m.migration?.tag ?? 'unknown'}.` +
      (pruned.removed.length ? ` Retention removed ${pruned.removed.length} older backup${pruned.removed.length === 1 ? '' : 's'}.` : ''),
  );
  // The path alone on stdout, for scripts (`npm run -s backup`).
  console.log(backup.snapshotPath);
  process.exit(0);
} catch (error) {
  if (error instanceof BackupError) {
    console.error(error.message);
    process.exit(1);
  }
  console.error(`The backup failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
