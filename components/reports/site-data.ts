import 'server-only';
import { cache } from 'react';
import { listSiteTotals } from '@/db/queries/reports';
import type { ReportScope } from '@/lib/reports/scope';

/**
 * Site totals, read once per request: the revenue chart, the database split and the site table all
 * use them. React's cache keys on the argument's identity, so pages pass one scope object to all.
 */
export const getSiteTotalsOnce = cache((scope: ReportScope) => listSiteTotals({ scope }));
