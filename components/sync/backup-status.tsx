import { getBackupStatus } from '@/db/queries/backups';
import { formatAgo, formatDuration } from './format';

/**
 * The age of the last good backup, so a manager sees the archive is safe (or that it is not). A
 * server component: the backup folder is read on the server, once per page view.
 */
export async function BackupStatus() {
  const status = await getBackupStatus();
  const { now } = status;
  const schedule =
    status.intervalHours > 0
      ? `Washboard backs up every ${formatDuration(status.intervalHours * 3_600_000)} while it runs`
      : 'Automatic backups are off (BACKUP_INTERVAL_HOURS=0)';
  // Late: more than an interval and an hour since the last one. None at all is said plainly, not
  // flagged: a new install takes its first backup a minute after it starts.
  const late = status.intervalHours > 0 && !!status.last && now - status.last.at > (status.intervalHours + 1) * 3_600_000;
  return (
    <section className={`card${late ? ' notice error' : ''}`} aria-labelledby="backup-status-heading">
      <h2 id="backup-status-heading">Backups</h2>
      <p data-testid="backup-age">
        {status.last
          ? `Last good backup ${formatAgo(status.last.at, now)} (${new Date(status.last.at).toISOString().slice(0, 16).replace('T', ' ')} UTC, ${(status.last.sizeBytes / 1e6).toFixed(1)} MB).`
          : 'No backup yet.'}
        {late ? ' It is overdue: see the server log for why the last one failed.' : ''}
      </p>
      <p className="muted">
        {schedule}; <code>npm run backup</code> takes one now and <code>npm run restore -- --from PATH</code> puts one back. They are kept in{' '}
        <code>{status.dir}</code>.
      </p>
    </section>
  );
}
