/**
 * Sites from `/site/list`. The API caches that list for an hour (FACTS §2.2 #19), so asking more
 * often spends budget for nothing: a refresh within the hour reuses what SQLite holds. A site that
 * disappears is marked removed and keeps its history; one that comes back is active again.
 *
 * A site's zone (FACTS §0 "local day") is, in order: the operator's setting
 * (`SONNYS_<KEY>_SITE_TIMEZONES`), the zone `/site/list` reports, the database's default. When the
 * zone in effect changes, the site's stored days are moved to the new zone (see `rezone.ts`).
 */
import type Database from 'better-sqlite3';
import { isTimeZone } from '@/lib/calendar';
import type { SonnysClient, RequestOptions } from '@/lib/sonnys';
import type { SiteTimezones } from '@/lib/env';
import { rezoneSite } from './rezone';
import type { SyncStore } from './store';

export const SITE_LIST_TTL_MS = 60 * 60 * 1000;

export interface ActiveSite {
  code: string;
  name: string;
  timezone: string;
}

/** The zone a site's local days are computed in (see the module comment). */
export function effectiveTimezone(site: { code: string; timezone: string | null }, settings: SiteTimezones, defaultTimezone: string): string {
  const setting = settings[site.code.toUpperCase()];
  if (setting) return setting;
  return site.timezone && isTimeZone(site.timezone) ? site.timezone : defaultTimezone;
}

export function listActiveSites(sqlite: Database.Database, databaseKey: string): ActiveSite[] {
  return sqlite
    .prepare<[string], ActiveSite>(
      `SELECT code, name, effective_timezone AS timezone FROM sites WHERE database_key = ? AND removed_at IS NULL ORDER BY code`,
    )
    .all(databaseKey);
}

interface KnownSite {
  code: string;
  timezone: string | null;
  effectiveTimezone: string;
}

function knownSites(sqlite: Database.Database, databaseKey: string): KnownSite[] {
  return sqlite
    .prepare<[string], KnownSite>('SELECT code, timezone, effective_timezone AS effectiveTimezone FROM sites WHERE database_key = ?')
    .all(databaseKey);
}

/**
 * Brings the stored sites of a database in line with the zone settings and default zone in force
 * now (start-up, after the configuration changed), moving the days of any site whose zone changed.
 * Returns the codes of the sites that moved.
 */
export function applySiteTimezones(input: {
  sqlite: Database.Database;
  databaseKey: string;
  defaultTimezone: string;
  siteTimezones: SiteTimezones;
  now?: number;
}): string[] {
  const { sqlite, databaseKey, defaultTimezone, siteTimezones } = input;
  const now = input.now ?? Date.now();
  const update = sqlite.prepare('UPDATE sites SET timezone_setting = ?, effective_timezone = ? WHERE database_key = ? AND code = ?');
  const moved: string[] = [];
  for (const site of knownSites(sqlite, databaseKey)) {
    const zone = effectiveTimezone(site, siteTimezones, defaultTimezone);
    const setting = siteTimezones[site.code.toUpperCase()] ?? null;
    sqlite.transaction(() => {
      update.run(setting, zone, databaseKey, site.code);
      if (zone !== site.effectiveTimezone) {
        rezoneSite(sqlite, { databaseKey, siteCode: site.code, from: site.effectiveTimezone, to: zone, now });
        moved.push(site.code);
      }
    })();
  }
  return moved;
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
  siteTimezones?: SiteTimezones;
  now: () => number;
  force?: boolean;
  requestOptions?: RequestOptions;
}): Promise<{ sites: ActiveSite[]; fetched: boolean }> {
  const { client, store, databaseKey, defaultTimezone, now } = input;
  const siteTimezones = input.siteTimezones ?? {};
  const sqlite = store.sqlite;
  const stateKey = `sites_refreshed_at:${databaseKey}`;
  const last = Number(store.getAppState(stateKey) ?? 0);
  const known = listActiveSites(sqlite, databaseKey);
  if (!input.force && known.length && now() - last < SITE_LIST_TTL_MS) return { sites: known, fetched: false };

  const listed = await client.sites.list(input.requestOptions);
  const at = now();
  const before = new Map(knownSites(sqlite, databaseKey).map((s) => [s.code, s.effectiveTimezone]));
  const upsert = sqlite.prepare(
    `INSERT INTO sites (database_key, code, site_id, name, timezone, timezone_setting, effective_timezone, first_seen_at, last_seen_at, removed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
     ON CONFLICT (database_key, code) DO UPDATE SET site_id = excluded.site_id, name = excluded.name,
       timezone = excluded.timezone, timezone_setting = excluded.timezone_setting, effective_timezone = excluded.effective_timezone,
       last_seen_at = excluded.last_seen_at, removed_at = NULL`,
  );
  sqlite.transaction(() => {
    const seen: string[] = [];
    for (const site of listed) {
      // A site without a code cannot be queried by code; its numeric ID stands in (FACTS §2.3 SiteObject).
      const code = site.code ?? `#${site.siteID}`;
      const zone = effectiveTimezone({ code, timezone: site.timezone ?? null }, siteTimezones, defaultTimezone);
      upsert.run(databaseKey, code, site.siteID, site.name, site.timezone, siteTimezones[code.toUpperCase()] ?? null, zone, at, at);
      const previous = before.get(code);
      if (previous !== undefined && previous !== zone) rezoneSite(sqlite, { databaseKey, siteCode: code, from: previous, to: zone, now: at });
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
