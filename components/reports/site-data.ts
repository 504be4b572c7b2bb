import 'server-only';
import { cache } from 'react';
import { getReportTotals } from '@/db/queries/reports';
import type { ReportScope } from '@/lib/reports/scope';

/**
 * The scope's totals (per site, overall, previous period), read once per request: the KPI cards,
 * the revenue chart, the database split and the site table all use them. React's cache keys on the
 * argument's identity, so pages pass one scope object to all.
 */
export const getReportTotalsOnce = cache((scope: ReportScope) => getReportTotals({ scope }));

export const getSiteTotalsOnce = cache(async (scope: ReportScope) => (await getReportTotalsOnce(scope)).sites);
