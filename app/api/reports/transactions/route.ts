import type { NextRequest } from 'next/server';
import { auditedExport } from '@/app/_lib/export-audit';
import { transactionsExportCsv } from '@/lib/reports/transactions-export';
import { csvResponse } from '../_shared/csv-response';

export const dynamic = 'force-dynamic';

/**
 * Every stored transaction in scope, one CSV row each (same parameters as the daily report), for
 * the signed-in viewer's sites only (401 without a session; recorded in the audit log).
 */
export function GET(request: NextRequest) {
  // One person's downloads count against their own share of the export slots (issue 13).
  return auditedExport(request, 'transactions', (viewer) => csvResponse(request, 'transactions', transactionsExportCsv, `user:${viewer.userId}`));
}
