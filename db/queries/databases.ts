import 'server-only';
import { asc } from 'drizzle-orm';
import { getDb } from '@/db';
import { databases, sites } from '@/db/schema';

export interface DatabaseWithSites {
  key: string;
  name: string;
  isDemo: boolean;
  sites: { code: string; name: string; timezone: string; removed: boolean }[];
}

/** Configured databases and the sites each one has reported, in display order. */
export async function listDatabasesWithSites(): Promise<DatabaseWithSites[]> {
  const { orm } = getDb();
  const dbRows = orm.select().from(databases).orderBy(asc(databases.name)).all();
  const siteRows = orm.select().from(sites).orderBy(asc(sites.code)).all();
  return dbRows.map((d) => ({
    key: d.key,
    name: d.name,
    isDemo: d.isDemo,
    sites: siteRows
      .filter((s) => s.databaseKey === d.key)
      .map((s) => ({ code: s.code, name: s.name, timezone: s.effectiveTimezone, removed: s.removedAt != null })),
  }));
}
