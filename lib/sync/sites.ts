/**
 * Sites from `/site/list`. The API caches that list for an hour (FACTS §2.2 #19), so asking more
 * often spends budget for nothing: a refresh within the hour reuses what storage holds. A site that
 * disappears is marked removed and keeps its history; one that comes back is active again.
 *
 * A site's zone (FACTS §0 "local day") is, in order: the operator's setting
 * (`SONNYS_<KEY>_SITE_TIMEZONES`), the zone `/site/list` reports, the database's default. When the
 * zone in effect changes, the store moves the site's stored days to the new zone.
 */
import { isTimeZone } from '@/lib/calendar';
import type { SiteTimezones } from '@/lib/env';
import type { RequestOptions, SonnysClient } from '@/lib/sonnys';
import type { ActiveSite, SyncStore } from './store';

export type { ActiveSite };

export const SITE_LIST_TTL_MS = 60 * 60 * 1000;

/** The zone a site's local days are computed in (see the module comment). */
export function effectiveTimezone(site: { code: string; timezone: string | null }, settings: SiteTimezones, defaultTimezone: string): string {
  const setting = settings[site.code.toUpperCase()];
  if (setting) return setting;
  return site.timezone && isTimeZone(site.timezone) ? site.timezone : defaultTimezone;
}

/**
 * Brings the stored sites of a database in line with the zone settings and default zone in force
 * now (start-up, after the configuration changed), moving the days of any site whose zone changed.
 * Returns the codes of the sites that moved.
 */
export async function applySiteTimezones(input: {
  store: SyncStore;
  databaseKey: string;
  defaultTimezone: string;
  siteTimezones: SiteTimezones;
  now?: number;
}): Promise<string[]> {
  const { store, databaseKey, defaultTimezone, siteTimezones } = input;
  const zones = (await store.knownSites(databaseKey)).map((site) => ({
    code: site.code,
    timezoneSetting: siteTimezones[site.code.toUpperCase()] ?? null,
    effectiveTimezone: effectiveTimezone(site, siteTimezones, defaultTimezone),
  }));
  return store.applySiteZones(databaseKey, zones, input.now ?? Date.now());
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
  const known = await store.siteList(databaseKey);
  if (!input.force && known.sites.length && now() - known.refreshedAt < SITE_LIST_TTL_MS) return { sites: known.sites, fetched: false };

  const listed = await client.sites.list(input.requestOptions);
  const sites = listed.map((site) => {
    // A site without a code cannot be queried by code; its numeric ID stands in (FACTS §2.3 SiteObject).
    const code = site.code ?? `#${site.siteID}`;
    return {
      code,
      siteId: site.siteID,
      name: site.name,
      timezone: site.timezone ?? null,
      timezoneSetting: siteTimezones[code.toUpperCase()] ?? null,
      effectiveTimezone: effectiveTimezone({ code, timezone: site.timezone ?? null }, siteTimezones, defaultTimezone),
    };
  });
  return { sites: await store.saveSiteList(databaseKey, sites, now()), fetched: true };
}
