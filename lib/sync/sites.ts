/**
 * Sites from `/site/list`. The API caches that list for an hour (FACTS §2.2 #19), so asking more
 * often spends budget for nothing: a refresh within the hour reuses what SQLite holds. A site that
 * disappears is marked removed and keeps its history; one that comes back is active again.
 */
import type Database from 'better-sqlite3';
import { isTimeZone } from '@/lib/sonnys/dates';
import type { SonnysClient, RequestOptions } from '@/lib/sonnys';
import type { SyncStore } from './store';

export const SITE_LIST_TTL_MS = 60 * 60 * 1000;

export interface ActiveSite {
  code: string;
  name: string;
  timezone: string;
}

export function listActiveSites(sqlite: Database.Database, databaseKey: string): ActiveSite[] {
  return sqlite
    .prepare<[string], ActiveSite>(
      `SELECT code, name, effective_timezone AS timezone FROM sites WHERE database_key = ? AND removed_at IS NULL ORDER BY code`,
    )
    .all(databaseKey);
}

/**
 * Returns the database's active sites, fetching the list when the stored one is older than the
 * API's cache (or `force`). Reports whether a request was spent.
 */
export async function refreshSites(input: {
  client: SonnysClient;
  store: SyncStore;
  databaseKey: string;
  defaultTimezone: string;
  now: () => number;
  force?: boolean;
  requestOptions?: RequestOptions;
}): Promise<{ sites: ActiveSite[]; fetched: boolean }> {
  const { client, store, databaseKey, defaultTimezone, now } = input;
  const sqlite = store.sqlite;
  const stateKey = `sites_refreshed_at:${databaseKey}`;
  const last = Number(store.getAppState(stateKey) ?? 0);
  const known = listActiveSites(sqlite, databaseKey);
  if (!input.force && known.length && now() - last < SITE_LIST_TTL_MS) return { sites: known, fetched: false };

  const listed = await client.sites.list(input.requestOptions);
  const at = now();
  const upsert = sqlite.prepare(
    `INSERT INTO sites (database_key, code, site_id, name, timezone, effective_timezone, first_seen_at, last_seen_at, removed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
     ON CONFLICT (database_key, code) DO UPDATE SET site_id = excluded.site_id, name = excluded.name,
       timezone = excluded.timezone, effective_timezone = excluded.effective_timezone,
       last_seen_at = excluded.last_seen_at, removed_at = NULL`,
  );
  sqlite.transaction(() => {
    const seen: string[] = [];
    for (const site of listed) {
      // A site without a code cannot be queried by code; its numeric ID stands in (FACTS §2.3 SiteObject).
      const code = site.code ?? `#${site.siteID}`;
      const zone = site.timezone && isTimeZone(site.timezone) ? site.timezone : defaultTimezone;
      upsert.run(databaseKey, code, site.siteID, site.name, site.timezone, zone, at, at);
      seen.push(code);
    }
    const placeholders = seen.map(() => '?').join(',') || "''";
    sqlite
      .prepare(`UPDATE sites SET removed_at = ? WHERE database_key = ? AND removed_at IS NULL AND code NOT IN (${placeholders})`)
      .run(at, databaseKey, ...seen);
    store.setAppState(stateKey, String(at), at);
  })();
  return { sites: listActiveSites(sqlite, databaseKey), fetched: true };
}
