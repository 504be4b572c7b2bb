import 'server-only';
import { listDatabasesWithSites, type DatabaseWithSites } from '@/db/queries/databases';
import { getReportingTimeZone } from '@/db/queries/reports';
import { dayInZone } from '@/lib/reports/days';
import { parseReportFilters, type FiltersResult } from '@/lib/reports/filters';

export interface ReportContext {
  catalog: DatabaseWithSites[];
  /** The reporting zone ("today" for presets) and today's date in it. */
  timeZone: string;
  today: string;
  /** The request's instant (epoch ms): every "today" and "still going on" of the page is judged at it. */
  now: number;
  result: FiltersResult;
}

/** Reads and checks report filters the same way for every page and CSV route. */
export async function getReportContext(raw: Record<string, string | string[] | undefined>): Promise<ReportContext> {
  const [catalog, timeZone] = await Promise.all([listDatabasesWithSites(), getReportingTimeZone()]);
  const now = Date.now();
  const today = dayInZone(timeZone, now);
  return { catalog, timeZone, today, now, result: parseReportFilters(raw, { today, catalog }) };
}
