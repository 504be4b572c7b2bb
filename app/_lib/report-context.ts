import 'server-only';
import { listDatabasesWithSites, type DatabaseWithSites } from '@/db/queries/databases';
import { getReportingTimeZone } from '@/db/queries/reports';
import { narrowScope, visibleCatalog } from '@/lib/auth/scope';
import { requireViewer, type Viewer } from '@/lib/auth/viewer';
import { toLocalDate } from '@/lib/calendar';
import { parseReportFilters, type FiltersResult } from '@/lib/reports/filters';

export interface ReportContext {
  /** Who is asking; the catalog and the scope below are already narrowed to what they may see. */
  viewer: Viewer;
  /** The databases and sites the viewer may see (an owner: all). */
  catalog: DatabaseWithSites[];
  /** The reporting zone ("today" for presets) and today's date in it. */
  timeZone: string;
  today: string;
  /** The request's instant (epoch ms): every "today" and "still going on" of the page is judged at it. */
  now: number;
  /**
   * `filters` are the request's own (for the filter form and links); `scope` is what to read, never
   * wider than the viewer's sites whatever the parameters say.
   */
  result: FiltersResult;
}

/**
 * Reads and checks report filters the same way for every page and CSV route, for the signed-in
 * viewer (the one passed, else the request's; no session sends a page to the sign-in page).
 * Filters are checked against the viewer's own catalog, so naming a database or site outside it
 * gets the same "no such database" sentence as a typo, and reveals nothing.
 */
export async function getReportContext(raw: Record<string, string | string[] | undefined>, viewer?: Viewer): Promise<ReportContext> {
  const [who, fullCatalog, timeZone] = await Promise.all([viewer ?? requireViewer(), listDatabasesWithSites(), getReportingTimeZone()]);
  const now = Date.now();
  const today = toLocalDate(now, timeZone);
  const catalog = visibleCatalog(who, fullCatalog);
  const parsed = parseReportFilters(raw, { today, catalog });
  const result: FiltersResult = parsed.ok ? { ...parsed, scope: narrowScope(who, parsed.scope) } : parsed;
  return { viewer: who, catalog, timeZone, today, now, result };
}
