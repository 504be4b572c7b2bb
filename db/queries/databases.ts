import 'server-only';
import { getSqliteDb as getDb } from '@/db';
import type { Database as DatabaseRow, Site } from '@/db/schema';
import { prepared, readThrough } from './statements';

export interface DatabaseWithSites {
  key: string;
  name: string;
  isDemo: boolean;
  sites: { code: string; name: string; timezone: string; removed: boolean }[];
}

// Prepared once, not built by the query builder on every page view: every report page and CSV
// route reads this list first.
const DATABASES_SQL = 'SELECT key, name, is_demo AS isDemo FROM databases ORDER BY name';
const SITES_SQL = `
SELECT database_key AS databaseKey, code, name, effective_timezone AS timezone, removed_at IS NOT NULL AS removed
FROM sites ORDER BY code`;

type DatabaseRowOut = Pick<DatabaseRow, 'key' | 'name'> & { isDemo: 0 | 1 };
type SiteRowOut = Pick<Site, 'databaseKey' | 'code' | 'name'> & { timezone: Site['effectiveTimezone']; removed: 0 | 1 };

/**
 * Configured databases and the sites each one has reported, in display order. Reused until the
 * database changes, so callers must not modify it.
 */
export async function listDatabasesWithSites(): Promise<DatabaseWithSites[]> {
  const { sqlite } = getDb();
  return readThrough(sqlite, 'catalog', () => {
    const dbRows = prepared<[], DatabaseRowOut>(sqlite, DATABASES_SQL).all();
    const siteRows = prepared<[], SiteRowOut>(sqlite, SITES_SQL).all();
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
