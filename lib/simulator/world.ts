/**
 * The simulated world: databases (one Sonny's BackOffice each, reached with one API ID + key) and
 * their sites. Pure data; `defaultWorld()` needs no server so the app can list demo credentials.
 */
import { isValidTimeZone } from '@/lib/simulator/time';

export interface SiteSpec {
  /** `siteID` in `/site/list`; also the right part of this site's transaction IDs. */
  siteId: number;
  code: string;
  name: string;
  /** What `/site/list` reports; `null` is legal in production. */
  timezone: string | null;
  /** Virtual sites carry e-commerce sales (`/site/list` describes them). */
  isVirtual: boolean;
  /** Region code for the `region=` filter. @default null */
  region?: string | null;
  /** Zone the site actually trades in (opening hours); needed when `timezone` is null. @default timezone ?? SERVER_TIMEZONE */
  operatingTimezone?: string;
  /** Typical retail transactions per day before weekday/weather factors. @default 280 (virtual: 30) */
  baseVolume?: number;
  /** Opening hours, local, [open, close). @default [7, 20] */
  hours?: readonly [number, number];
}

export interface DatabaseSpec {
  /** Stable key used by `truth` and options (e.g. `washu`). */
  key: string;
  name: string;
  apiId: string;
  apiKey: string;
  sites: SiteSpec[];
  /** Site codes this key may see; others answer 403. @default every site */
  authorizedSiteCodes?: string[];
  /** Enable the sandbox test values (FACTS §1.7) for this database. @default false */
  sandbox?: boolean;
  /** Zone of "today" when a date is omitted. @default SERVER_TIMEZONE */
  serverTimezone?: string;
}

export interface World {
  seed: number;
  databases: DatabaseSpec[];
}

/** The public view of a database (what the app needs to connect). */
export interface WorldDatabase {
  key: string;
  name: string;
  apiId: string;
  apiKey: string;
  sites: Array<{ code: string; name: string; timezone: string | null; isVirtual: boolean }>;
}

export const DEFAULT_SEED = 1;

/**
 * WashU: four Chicago-area sites. Icon: sites in other US zones, one with a null timezone (it
 * trades on Hawaii time, so a Chicago default splits its evenings) and one virtual e-commerce site.
 */
export function defaultWorld(seed: number = DEFAULT_SEED): World {
  return {
    seed,
    databases: [
      {
        key: 'washu',
        name: 'WashU',
        apiId: 'washu-demo',
        apiKey: 'washu-demo-key',
        sites: [
          { siteId: 1, code: 'JOLIET', name: 'WashU Joliet', timezone: 'America/Chicago', isVirtual: false, region: 'SOUTHWEST', baseVolume: 340 },
          { siteId: 2, code: 'ROMEOVILLE', name: 'WashU Romeoville', timezone: 'America/Chicago', isVirtual: false, region: 'SOUTHWEST', baseVolume: 290 },
          { siteId: 3, code: 'PLAINFIELD', name: 'WashU Plainfield', timezone: 'America/Chicago', isVirtual: false, region: 'WEST', baseVolume: 260, hours: [7, 21] },
          { siteId: 4, code: 'SHOREWOOD', name: 'WashU Shorewood', timezone: 'America/Chicago', isVirtual: false, region: 'WEST', baseVolume: 220, hours: [8, 20] },
        ],
      },
      {
        key: 'icon',
        name: 'Icon',
        apiId: 'icon-demo',
        apiKey: 'icon-demo-key',
        serverTimezone: 'America/Denver',
        sites: [
          { siteId: 11, code: 'DENVER', name: 'Icon Denver - Colfax', timezone: 'America/Denver', isVirtual: false, region: 'MOUNTAIN', baseVolume: 300 },
          { siteId: 12, code: 'MESA', name: 'Icon Mesa', timezone: 'America/Phoenix', isVirtual: false, region: 'MOUNTAIN', baseVolume: 270, hours: [6, 19] },
          { siteId: 13, code: 'KAPOLEI', name: 'Icon Kapolei', timezone: null, operatingTimezone: 'Pacific/Honolulu', isVirtual: false, region: 'PACIFIC', baseVolume: 230 },
          { siteId: 14, code: 'ICONWEB', name: 'Icon Online Store (virtual)', timezone: 'America/Denver', isVirtual: true, baseVolume: 30 },
        ],
      },
    ],
  };
}

export function summarizeWorld(world: World): WorldDatabase[] {
  return world.databases.map((db) => ({
    key: db.key,
    name: db.name,
    apiId: db.apiId,
    apiKey: db.apiKey,
    sites: db.sites.map((s) => ({ code: s.code, name: s.name, timezone: s.timezone, isVirtual: s.isVirtual })),
  }));
}

/**
 * The zone BackOffice's servers keep: "today" for a request that names no date, and where a site
 * that reports no zone trades in this world. A vendor fact the simulator models on its own (it
 * imports nothing of Washboard's, see `time.ts`), even though Washboard's default zone is the same.
 */
export const SERVER_TIMEZONE = 'America/Chicago';

export function operatingTimezone(site: SiteSpec): string {
  return site.operatingTimezone ?? site.timezone ?? SERVER_TIMEZONE;
}

export function authorizedSites(db: DatabaseSpec): SiteSpec[] {
  if (!db.authorizedSiteCodes) return db.sites;
  const allowed = new Set(db.authorizedSiteCodes);
  return db.sites.filter((s) => allowed.has(s.code));
}

/** Throws on a world the simulator cannot serve unambiguously. */
export function validateWorld(world: World): void {
  const keys = new Set<string>();
  const apiIds = new Set<string>();
  for (const db of world.databases) {
    if (keys.has(db.key)) throw new Error(`Duplicate database key ${db.key}`);
    if (apiIds.has(db.apiId)) throw new Error(`Duplicate API ID ${db.apiId}`);
    keys.add(db.key);
    apiIds.add(db.apiId);
    const codes = new Set<string>();
    const ids = new Set<number>();
    for (const site of db.sites) {
      if (codes.has(site.code)) throw new Error(`Duplicate site code ${site.code} in ${db.key}`);
      if (ids.has(site.siteId)) throw new Error(`Duplicate siteId ${site.siteId} in ${db.key}`);
      if (!Number.isInteger(site.siteId) || site.siteId <= 0) throw new Error(`Bad siteId for ${site.code}`);
      codes.add(site.code);
      ids.add(site.siteId);
      for (const tz of [site.timezone, site.operatingTimezone]) {
        if (tz && !isValidTimeZone(tz)) throw new Error(`Unknown time zone ${tz} for ${site.code}`);
      }
    }
  }
}
