/**
 * The databases and site codes Washboard knows, for checking site assignments (users CLI and the
 * settings page). db/queries/databases.ts has the richer catalog the pages read, but it is
 * `server-only` and the CLI runs in plain Node; this is the same two tables, codes only.
 */
import { asc } from 'drizzle-orm';
import { getSqliteDb as getDb } from '@/db';
import { databases, sites } from '@/db/schema';

export interface KnownDatabase {
  key: string;
  name: string;
  codes: string[];
}

export function listKnownSites(): KnownDatabase[] {
  const { orm } = getDb();
  const dbRows = orm.select({ key: databases.key, name: databases.name }).from(databases).orderBy(asc(databases.name)).all();
  const siteRows = orm.select({ databaseKey: sites.databaseKey, code: sites.code }).from(sites).orderBy(asc(sites.code)).all();
  return dbRows.map((d) => ({ ...d, codes: siteRows.filter((s) => s.databaseKey === d.key).map((s) => s.code) }));
}
