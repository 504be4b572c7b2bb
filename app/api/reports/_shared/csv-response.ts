import 'server-only';
import type { NextRequest } from 'next/server';
import { getReportContext } from '@/app/_lib/report-context';
import { openExportReader, type ExportReader } from '@/db/queries/exports';
import { reportFileName, type ReportReader, type ReportSummary } from '@/lib/reports';
import { getExportSlots, isRefusal } from '@/lib/reports/export-slots';
import { searchParamsToRecord } from '@/lib/reports/filters';
import type { ReportScope } from '@/lib/reports/scope';
import { chunksToReadableStream } from '@/lib/reports/stream';

type Report = (reader: ReportReader, scope: ReportScope) => AsyncGenerator<string, ReportSummary, undefined>;

/** A download whose client has read nothing for this long is ended, freeing its export slot. */
const EXPORT_IDLE_TIMEOUT_MS = 60_000;

const plainText = (status: number, message: string, headers: Record<string, string> = {}) =>
  new Response(`${message}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers } });

/**
 * A CSV download for the filters in the request's query string (the same ones the pages use).
 * Bad filters get a 400 with the same sentence the page would show. At most a few exports run at
 * once (2 per `holder`, 4 in all, see lib/reports/export-slots): the next gets a 429 with a
 * sentence. The CSV streams with backpressure from its generator over a connection of its own,
 * yielding to other requests between chunks.
 */
export async function csvResponse(request: NextRequest, kind: 'daily' | 'transactions', report: Report, holder: string): Promise<Response> {
  const { result } = await getReportContext(searchParamsToRecord(request.nextUrl.searchParams));
  if (!result.ok) return plainText(400, result.message);
  const slot = getExportSlots().acquire(holder);
  if (isRefusal(slot)) return plainText(429, slot.message, { 'Retry-After': '30' });
  let reader: ExportReader;
  try {
    reader = openExportReader();
  } catch (error) {
    slot.release();
    throw error;
  }
  const chunks = (async function* logged() {
    try {
      return yield* report(reader, result.scope);
    } catch (error) {
      // The response has started: the client sees a cut-off file; the cause belongs in the log.
      console.error(new Error(`CSV export (${kind}) failed`, { cause: error }));
      throw error;
    }
  })();
  const body = chunksToReadableStream(
    chunks,
    () => {
      reader.close();
      slot.release();
    },
    { idleTimeoutMs: EXPORT_IDLE_TIMEOUT_MS },
  );
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${reportFileName(kind, result.scope)}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
