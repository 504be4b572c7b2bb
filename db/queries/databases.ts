import 'server-only';
import { getDb, type SqlDialect } from '@/db';
import type { Database as DatabaseRow, Site } from '@/db/schema';
import { readThrough } from './statements';

export interface DatabaseWithSites {
  key: string;
  name: string;
  isDemo: boolean;
  sites: { code: string; name: string; timezone: string; removed: boolean }[];
}

// Prepared once (SQLite), not built by the query builder on every page view: every report page and
// CSV route reads this list first. Text in byte order on both dialects, as SQLite orders it.
const DATABASES_SQL = (dialect: SqlDialect) => `SELECT key, name, ${dialect.flag('is_demo')} AS "isDemo" FROM databases ORDER BY ${dialect.byteOrder('name')}`;
const SITES_SQL = (dialect: SqlDialect) => `
SELECT database_key AS "databaseKey", code, name, effective_timezone AS timezone, ${dialect.flag('removed_at IS NOT NULL')} AS removed
FROM sites ORDER BY ${dialect.byteOrder('code')}`;

type DatabaseRowOut = Pick<DatabaseRow, 'key' | 'name'> & { isDemo: 0 | 1 };
type SiteRowOut = Pick<Site, 'databaseKey' | 'code' | 'name'> & { timezone: Site['effectiveTimezone']; removed: 0 | 1 };

/**
 * Configured databases and the sites each one has reported, in display order. Reused until the
 * database changes, so callers must not modify it.
 */
export async function listDatabasesWithSites(): Promise<DatabaseWithSites[]> {
  const db = getDb();
  return readThrough(db, 'catalog', async () => {
    const dbRows = await db.sql.all<DatabaseRowOut>(DATABASES_SQL(db.dialect));
    const siteRows = await db.sql.all<SiteRowOut>(SITES_SQL(db.dialect));
    return dbRows.map((d) => ({
      key: d.key,
      name: d.name,
      isDemo: d.isDemo === 1,
      sites: siteRows
        .filter((s) => s.databaseKey === d.key)
        .map((s) => ({ code: s.code, name: s.name, timezone: s.timezone, removed: s.removed === 1 })),
    }));
  });
}
