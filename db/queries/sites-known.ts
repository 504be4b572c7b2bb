/**
 * The databases and site codes Washboard knows, for checking site assignments (users CLI and the
 * settings page). db/queries/databases.ts has the richer catalog the pages read, but it is
 * `server-only` and the CLI runs in plain Node; this is the same two tables, codes only.
 */
import { getDb } from '@/db';

export interface KnownDatabase {
  key: string;
  name: string;
  codes: string[];
}

export async function listKnownSites(): Promise<KnownDatabase[]> {
  const { sql, dialect } = getDb();
  // Byte order on both dialects, as SQLite orders text.
  const dbRows = await sql.all<{ key: string; name: string }>(`SELECT key, name FROM databases ORDER BY ${dialect.byteOrder('name')}`);
  const siteRows = await sql.all<{ databaseKey: string; code: string }>(`SELECT database_key AS "databaseKey", code FROM sites ORDER BY ${dialect.byteOrder('code')}`);
  return dbRows.map((d) => ({ ...d, codes: siteRows.filter((s) => s.databaseKey === d.key).map((s) => s.code) }));
}
