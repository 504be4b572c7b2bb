import type { Metadata } from 'next';
import { getSyncStatus } from '@/lib/server/sync-status';
import { SyncBoard } from '@/components/sync/sync-board';
import { BackupStatus } from '@/components/sync/backup-status';
import { canSeeDatabase } from '@/lib/auth/scope';
import { requireViewer } from '@/lib/auth/viewer';
import { SyncSummary } from './_components/sync-summary';

export const metadata: Metadata = { title: 'Sync' };
export const dynamic = 'force-dynamic';

export default async function SyncPage() {
  const viewer = await requireViewer();
  const full = await getSyncStatus();
  // The viewer's databases only, as /api/sync/status serves them to the board's polling.
  const status = { ...full, databases: full.databases.filter((d) => canSeeDatabase(viewer, d.key)) };
  return (
    <div className="stack">
      <h1>Sync</h1>
      {full.databases.length === 0 ? (
        <p className="card notice">No database is configured. Set SONNYS_DATABASES (see .env.example), or leave it unset for the demo.</p>
      ) : status.databases.length === 0 ? (
        <p className="card notice">None of your sites is in a configured database. Ask an owner to check your sites.</p>
      ) : viewer.role === 'viewer' ? (
        <SyncSummary databases={status.databases} />
      ) : (
        <SyncBoard initial={status} />
      )}
      <BackupStatus />
    </div>
  );
}
