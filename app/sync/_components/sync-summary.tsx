import type { DatabaseSyncStatus } from '@/lib/server/sync-status';
import { formatAgo } from '@/lib/reports/format';

/**
 * The sync status for viewers, who may not start a sync: when each of their databases last synced
 * and whether a run is going, without the Sync now buttons.
 */
export function SyncSummary({ databases }: { databases: DatabaseSyncStatus[] }) {
  return (
    <div className="stack">
      <p className="muted">Viewers see how fresh the data is; a manager or an owner can start a sync.</p>
      <div className="grid">
        {databases.map((d) => (
          <section key={d.key} className="card" aria-labelledby={`sync-${d.key}`} data-testid={`sync-summary-${d.key}`}>
            <h2 id={`sync-${d.key}`}>{d.name}</h2>
            <p>
              {d.running ? 'Syncing now. ' : ''}
              {d.lastSucceededAt ? `Last synced ${formatAgo(d.lastSucceededAt)}.` : 'Not synced yet.'}
            </p>
          </section>
        ))}
      </div>
    </div>
  );
}
