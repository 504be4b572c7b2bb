import type { Metadata } from 'next';
import { getSyncStatus } from '@/db/queries/sync';
import { SyncBoard } from '@/components/sync/sync-board';
import { BackupStatus } from '@/components/sync/backup-status';

export const metadata: Metadata = { title: 'Sync' };
export const dynamic = 'force-dynamic';

export default async function SyncPage() {
  const status = await getSyncStatus();
  return (
    <div className="stack">
      <h1>Sync</h1>
      {status.databases.length === 0 ? (
        <p className="card notice">No database is configured. Set SONNYS_DATABASES (see .env.example), or leave it unset for the demo.</p>
      ) : (
        <SyncBoard initial={status} />
      )}
      <BackupStatus />
    </div>
  );
}
