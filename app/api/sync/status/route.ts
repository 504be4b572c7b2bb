import { getSyncStatus } from '@/lib/server/sync-status';
import { unauthorizedResponse } from '@/lib/auth/http';
import { canSeeDatabase } from '@/lib/auth/scope';
import { viewerFromHeaders } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/** Polled by the /sync page (every second while a sync runs): the viewer's databases only. */
export async function GET(request: Request) {
  const viewer = await viewerFromHeaders(request.headers);
  if (!viewer) return unauthorizedResponse();
  try {
    const status = await getSyncStatus();
    return Response.json(
      { ...status, databases: status.databases.filter((d) => canSeeDatabase(viewer, d.key)) },
      { headers: { 'Cache-Control': 'no-store' } },
    );
  } catch (error) {
    console.error('sync status failed', error);
    return Response.json({ message: 'The sync status is not available right now.' }, { status: 503 });
  }
}
