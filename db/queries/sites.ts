import 'server-only';
import { getDb } from '@/db';
import type { Database as DatabaseRow, Site } from '@/db/schema';

export type SiteDetail = Pick<Site, 'databaseKey' | 'code' | 'name' | 'timezone' | 'timezoneSetting' | 'effectiveTimezone' | 'removedAt'> & {
  databaseName: DatabaseRow['name'];
};

const SITE_SQL = `
SELECT s.database_key AS "databaseKey", s.code, s.name, s.timezone, s.timezone_setting AS "timezoneSetting", s.effective_timezone AS "effectiveTimezone",
  s.removed_at AS "removedAt", d.name AS "databaseName"
FROM sites s JOIN databases d ON d.key = s.database_key
WHERE s.database_key = ? AND s.code = ?`;

/** One site with its database's display name and its time zone, or null when there is no such site. */
export async function getSite({ databaseKey, code }: { databaseKey: string; code: string }): Promise<SiteDetail | null> {
  return (await getDb().sql.get<SiteDetail>(SITE_SQL, [databaseKey, code])) ?? null;
}
