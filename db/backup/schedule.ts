/**
 * The web server's periodic backup: one every interval (BACKUP_INTERVAL_HOURS), counted from the
 * last good backup in the folder, so a restart does not take an extra one and a server that was
 * down past its time takes one soon after it starts. Each good backup is followed by retention.
 * A failure is logged in one sentence and tried again within the hour.
 */
import { createBackupOf } from './dispatch';
import { BackupError } from './errors';
import { backupSubject, latestGoodBackup, type BackupSource } from './manifest';
import { pruneBackups } from './retention';

export interface BackupSchedule {
  /** When the next backup is due (epoch ms), or null when the schedule is off or stopped. */
  readonly nextAt: number | null;
  /** Stops the timer (a backup in progress finishes on its worker). */
  stop(): void;
}

/** setTimeout's largest delay; longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const RETRY_MS = 60 * 60_000;

export function startBackupSchedule(options: {
  /** What to back up: a SQLite file's path, or the configured storage (SQLite or Postgres). */
  source: BackupSource | string;
  backupDir: string;
  intervalMs: number;
  /** No backup sooner than this after start-up, so it does not compete with the start-up sync. @default 60000 */
  startDelayMs?: number;
  log?: (line: string) => void;
}): BackupSchedule {
  const { backupDir, intervalMs } = options;
  const source: BackupSource = typeof options.source === 'string' ? { dialect: 'sqlite', path: options.source } : options.source;
  const subject = backupSubject(source);
  const log = options.log ?? ((line: string) => console.log(line));
  let timer: NodeJS.Timeout | undefined;
  let nextAt: number | null = null;
  let stopped = false;

  const plan = (at: number) => {
    if (stopped) return;
    nextAt = at;
    timer = setTimeout(() => (Date.now() >= at - 1000 ? void run() : plan(at)), Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now())));
    timer.unref?.();
  };

  const run = async () => {
    try {
      const backup = await createBackupOf(source, backupDir);
      const pruned = pruneBackups(backupDir, subject);
      const mb = (backup.manifest.sizeBytes / 1e6).toFixed(1);
      const removed = pruned.removed.length ? `; retention removed ${pruned.removed.length} older backup${pruned.removed.length === 1 ? '' : 's'}` : '';
      log(`[backup] ${backup.snapshotPath} (${mb} MB in ${backup.manifest.seconds.toFixed(1)} s)${removed}`);
      plan(Date.now() + intervalMs);
    } catch (error) {
      log(`[backup] ${error instanceof BackupError ? error.message : `The backup failed (${error instanceof Error ? error.message : String(error)}).`} Trying again within the hour.`);
      plan(Date.now() + Math.min(intervalMs, RETRY_MS));
    }
  };

  if (intervalMs > 0) {
    const last = latestGoodBackup(backupDir, subject);
    const earliest = Date.now() + (options.startDelayMs ?? 60_000);
    plan(Math.max(earliest, last ? last.at + intervalMs : 0));
  }
  return {
    get nextAt() {
      return nextAt;
    },
    stop: () => {
      stopped = true;
      nextAt = null;
      if (timer) clearTimeout(timer);
    },
  };
}
