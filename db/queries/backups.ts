import 'server-only';
import { backupSubject, latestGoodBackup } from '@/db/backup';
import { getConfig } from '@/lib/env';

export interface BackupStatus {
  /** When the folder was read (epoch ms): ages are measured from here. */
  now: number;
  /** The newest good backup (manifest present, snapshot of its size), or null when there is none. */
  last: { at: number; sizeBytes: number; file: string } | null;
  /** Hours between automatic backups while the web server runs; 0 when they are off. */
  intervalHours: number;
  dir: string;
}

/** The last good backup of the configured database: read from the backup folder, not from the database. */
export async function getBackupStatus(): Promise<BackupStatus> {
  const config = getConfig();
  const last = latestGoodBackup(config.backupDir, backupSubject(config.storage));
  return {
    now: Date.now(),
    last: last ? { at: last.at, sizeBytes: last.manifest.sizeBytes, file: last.manifest.snapshot } : null,
    intervalHours: config.backupIntervalHours,
    dir: config.backupDir,
  };
}
