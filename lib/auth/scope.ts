/**
 * Who may see what (issue 12), in one place. Pure: given a viewer's role and assigned sites, these
 * decide which databases and sites a page, a CSV, the sync status and Sync now may touch. Every
 * server entry point goes through them (app/_lib/report-context.ts, the CSV routes, the sync status
 * route, app/actions.ts); query parameters only ever narrow what they return, never widen it.
 *
 * An owner is unrestricted. A manager or viewer sees exactly their assigned (database, site code)
 * pairs; a database is visible when one of its sites is.
 */
import type { DatabaseWithSites } from '@/db/queries/databases';
import type { ReportScope, SiteRef } from '@/lib/reports/scope';
import type { Role } from './roles';

/** What scope decisions need to know about the person asking. */
export interface ViewerAccess {
  role: Role;
  /** Assigned sites; ignored for owners. */
  sites: readonly SiteRef[];
}

/** The catalog shape the rules work on (db/queries/databases.ts's `DatabaseWithSites`, or a subset). */
type CatalogEntry = Pick<DatabaseWithSites, 'key'> & { sites: readonly Pick<DatabaseWithSites['sites'][number], 'code'>[] };

const isOwner = (viewer: ViewerAccess) => viewer.role === 'owner';

function sameSite(a: SiteRef, b: SiteRef): boolean {
  return a.databaseKey === b.databaseKey && a.code === b.code;
}

export function canSeeSite(viewer: ViewerAccess, site: SiteRef): boolean {
  return isOwner(viewer) || viewer.sites.some((s) => sameSite(s, site));
}

export function canSeeDatabase(viewer: ViewerAccess, databaseKey: string): boolean {
  return isOwner(viewer) || viewer.sites.some((s) => s.databaseKey === databaseKey);
}

/** Sync now: owners for every database, managers for the databases their sites belong to, viewers never. */
export function canSyncDatabase(viewer: ViewerAccess, databaseKey: string): boolean {
  if (isOwner(viewer)) return true;
  return viewer.role === 'manager' && canSeeDatabase(viewer, databaseKey);
}

/** Keys of the catalog's databases the viewer may see, in catalog order. */
export function visibleDatabaseKeys(viewer: ViewerAccess, catalog: readonly CatalogEntry[]): string[] {
  return catalog.filter((d) => canSeeDatabase(viewer, d.key)).map((d) => d.key);
}

/** The catalog as the viewer may see it: their databases, each with only their sites. */
export function visibleCatalog<T extends CatalogEntry>(viewer: ViewerAccess, catalog: readonly T[]): T[] {
  if (isOwner(viewer)) return [...catalog];
  return catalog
    .filter((d) => canSeeDatabase(viewer, d.key))
    .map((d) => ({ ...d, sites: d.sites.filter((s) => canSeeSite(viewer, { databaseKey: d.key, code: s.code })) }));
}

/**
 * The requested scope narrowed to what the viewer may see. For an owner it is the request as is.
 * For anyone else the result always names its sites explicitly and never a whole database (a
 * scope is the UNION of whole databases and single sites, issue #10, so a database in it would
 * widen it to every site of that database): the requested sites and the sites of the requested
 * databases (or, with neither, every assigned site), kept only when assigned. An empty result
 * (nothing assigned, or a request outside the assignments) selects no rows.
 */
export function narrowScope(viewer: ViewerAccess, scope: ReportScope): ReportScope {
  if (isOwner(viewer)) return scope;
  const anyRequested = scope.databaseKeys !== undefined || scope.sites !== undefined;
  const requested = (site: SiteRef) =>
    !anyRequested || (scope.databaseKeys?.includes(site.databaseKey) ?? false) || (scope.sites?.some((s) => sameSite(s, site)) ?? false);
  const sites: SiteRef[] = [];
  for (const site of viewer.sites) {
    if (!requested(site) || sites.some((s) => sameSite(s, site))) continue;
    sites.push({ databaseKey: site.databaseKey, code: site.code });
  }
  return { from: scope.from, to: scope.to, sites };
}

/** The databases a scope reads: those named whole and those of its single sites (all of the catalog's when it names none). */
export function databasesInScope(scope: Pick<ReportScope, 'databaseKeys' | 'sites'>, catalog: readonly CatalogEntry[]): string[] {
  if (scope.databaseKeys === undefined && scope.sites === undefined) return catalog.map((d) => d.key);
  const keys = new Set([...(scope.databaseKeys ?? []), ...(scope.sites ?? []).map((s) => s.databaseKey)]);
  return catalog.filter((d) => keys.has(d.key)).map((d) => d.key);
}

/** Both at once, for the report context: the catalog the viewer may see and the scope narrowed to it. */
export function scopeForViewer<T extends CatalogEntry>(
  viewer: ViewerAccess,
  scope: ReportScope,
  catalog: readonly T[],
): { catalog: T[]; scope: ReportScope } {
  return { catalog: visibleCatalog(viewer, catalog), scope: narrowScope(viewer, scope) };
}
