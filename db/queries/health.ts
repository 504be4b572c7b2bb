import 'server-only';
import { getDb } from '@/db';

/** Throws unless the database answers a trivial query (the health check's readiness). */
export async function pingDatabase(): Promise<void> {
  await getDb().ping();
}
