import type { NextRequest } from 'next/server';
import { auditedExport } from '@/app/_lib/export-audit';
import { dailyReportCsv } from '@/lib/reports/daily-report';
import { csvResponse } from '../_shared/csv-response';

export const dynamic = 'force-dynamic';

/**
 * The consolidated daily report: `?preset=last30&db=washu&site=washu:JOL` or `?from=…&to=…`, for the
 * signed-in viewer's sites only (401 without a session; recorded in the audit log).
 */
export function GET(request: NextRequest) {
  // One person's downloads count against their own share of the export slots (issue 13).
  return auditedExport(request, 'daily', (viewer) => csvResponse(request, 'daily', dailyReportCsv, `user:${viewer.userId}`));
}
