import 'server-only';
import type Database from 'better-sqlite3';
import type { NextRequest } from 'next/server';
import { getReportContext } from '@/app/_lib/report-context';
import { openExportConnection } from '@/db/queries/exports';
import { reportFileName, type ReportSummary } from '@/lib/reports';
import { searchParamsToRecord } from '@/lib/reports/filters';
import type { ReportScope } from '@/lib/reports/scope';
import { chunksToReadableStream } from '@/lib/reports/stream';

type Report = (sqlite: Database.Database, scope: ReportScope) => Generator<string, ReportSummary, undefined>;

/**
 * A CSV download for the filters in the request's query string (the same ones the pages use).
 * Bad filters get a 400 with the same sentence the page would show; the CSV itself streams with
 * backpressure from its generator over a connection of its own.
 */
export async function csvResponse(request: NextRequest, kind: 'daily' | 'transactions', report: Report): Promise<Response> {
  const { result } = await getReportContext(searchParamsToRecord(request.nextUrl.searchParams));
  if (!result.ok) {
    return new Response(`${result.message}\n`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  }
  const sqlite = openExportConnection();
  const chunks = (function* logged() {
    try {
      return yield* report(sqlite, result.scope);
    } catch (error) {
      // The response has started: the client sees a cut-off file; the cause belongs in the log.
      console.error(new Error(`CSV export (${kind}) failed`, { cause: error }));
      throw error;
    }
  })();
  const body = chunksToReadableStream(chunks, () => sqlite.close());
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${reportFileName(kind, result.scope)}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
