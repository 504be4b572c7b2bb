import type { NextRequest } from 'next/server';
import { transactionsExportCsv } from '@/lib/reports/transactions-export';
import { csvResponse } from '../_shared/csv-response';
import { exportHolderOf } from '../_shared/export-holder';

export const dynamic = 'force-dynamic';

/** Every stored transaction in scope, one CSV row each (same parameters as the daily report). */
export function GET(request: NextRequest) {
  return csvResponse(request, 'transactions', transactionsExportCsv, exportHolderOf(request));
}
