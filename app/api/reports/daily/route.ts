import type { NextRequest } from 'next/server';
import { dailyReportCsv } from '@/lib/reports/daily-report';
import { csvResponse } from '../_shared/csv-response';
import { exportHolderOf } from '../_shared/export-holder';

export const dynamic = 'force-dynamic';

/** The consolidated daily report: `?preset=last30&db=washu&site=washu:JOL` or `?from=…&to=…`. */
export function GET(request: NextRequest) {
  return csvResponse(request, 'daily', dailyReportCsv, exportHolderOf(request));
}
