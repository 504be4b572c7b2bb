import { sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { getConfig } from '@/lib/env';

export const dynamic = 'force-dynamic';

/** Liveness and readiness: the app answers and its SQLite file is usable. */
export async function GET() {
  try {
    const { orm } = getDb();
    orm.get(sql`select 1`);
    return Response.json({ ok: true, mode: getConfig().mode, time: new Date().toISOString() });
  } catch (error) {
    console.error('health check failed', error);
    return Response.json({ ok: false, message: 'The database is not available.' }, { status: 503 });
  }
}
