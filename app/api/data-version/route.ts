import { getDataVersion } from '@/db/queries/statements';

export const dynamic = 'force-dynamic';

/**
 * The data's version (it changes whenever a sync commits), polled by report pages so they refresh
 * themselves when there is something new, and only then.
 */
export async function GET() {
  try {
    return Response.json({ version: await getDataVersion() }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    console.error(new Error('data version failed', { cause: error }));
    return Response.json({ message: 'The data version is not available right now.' }, { status: 503 });
  }
}
