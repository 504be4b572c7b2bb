import { getSyncStatus } from '@/db/queries/sync';

export const dynamic = 'force-dynamic';

/** Polled by the /sync page (every second while a sync runs). */
export async function GET() {
  try {
    return Response.json(await getSyncStatus(), { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    console.error('sync status failed', error);
    return Response.json({ message: 'The sync status is not available right now.' }, { status: 503 });
  }
}
