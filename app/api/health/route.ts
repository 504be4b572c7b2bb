import { getBackupStatus } from '@/db/queries/backups';
import { pingDatabase } from '@/db/queries/health';
import { getConfig } from '@/lib/env';

export const dynamic = 'force-dynamic';

/** Liveness and readiness: the app answers and its SQLite file is usable. */
export async function GET() {
  try {
    await pingDatabase();
    const backup = await getBackupStatus();
    const { now } = backup;
    return Response.json({
      ok: true,
      mode: getConfig().mode,
      time: new Date(now).toISOString(),
      // The age of the last good backup, for monitoring: null when there is none yet.
      lastBackupAt: backup.last ? new Date(backup.last.at).toISOString() : null,
      lastBackupAgeSeconds: backup.last ? Math.round((now - backup.last.at) / 1000) : null,
    });
  } catch (error) {
    console.error('health check failed', error);
    return Response.json({ ok: false, message: 'The database is not available.' }, { status: 503 });
  }
}
