import 'server-only';
import { getSite, type SiteDetail } from '@/db/queries/sites';
import { canSeeSite } from '@/lib/auth/scope';
import { getViewer } from '@/lib/auth/viewer';
import { toLocalDate } from '@/lib/calendar';

/** Route segments arrive percent-encoded when the code has characters a URL path must escape. */
export function segment(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    // Malformed encoding (`%FF`) names no site.
    return null;
  }
}

/**
 * The site a `/sites/[database]/[code]` path names, when the signed-in viewer may see it; else
 * null, and the page answers 404 whether the site does not exist or is outside the viewer's sites
 * (its existence is not revealed, issue 12).
 */
export async function siteFromPath(params: { database: string; code: string }): Promise<SiteDetail | null> {
  const databaseKey = segment(params.database);
  const code = segment(params.code);
  if (databaseKey === null || code === null) return null;
  const viewer = await getViewer();
  if (!viewer || !canSeeSite(viewer, { databaseKey, code })) return null;
  return getSite({ databaseKey, code });
}

export function sitePath(site: { databaseKey: string; code: string }): string {
  return `/sites/${encodeURIComponent(site.databaseKey)}/${encodeURIComponent(site.code)}`;
}

/** Which zone a site's days use, and why, in the words the site page shows. */
export function zoneReason(site: Pick<SiteDetail, 'timezone' | 'timezoneSetting' | 'effectiveTimezone' | 'databaseKey'>): string {
  const variable = `SONNYS_${site.databaseKey.toUpperCase()}_SITE_TIMEZONES`;
  if (site.timezoneSetting) return `set for this site with ${variable}`;
  if (site.timezone && site.timezone === site.effectiveTimezone) return 'as Sonny’s reports it for this site';
  return `the database default, because Sonny’s reports no zone for this site; set one with ${variable}`;
}

/** The site's own today (a Honolulu site's day ends five hours after Chicago's), at request time. */
export function siteToday(site: Pick<SiteDetail, 'effectiveTimezone'>): string {
  return toLocalDate(Date.now(), site.effectiveTimezone);
}
