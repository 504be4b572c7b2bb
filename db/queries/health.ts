import 'server-only';
import { sql } from 'drizzle-orm';
import { getSqliteDb as getDb } from '@/db';

/** Throws unless the database answers a trivial query (the health check's readiness). */
export async function pingDatabase(): Promise<void> {
  getDb().orm.get(sql`select 1`);
}
