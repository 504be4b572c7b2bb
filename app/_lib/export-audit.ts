import 'server-only';
import type { NextRequest } from 'next/server';
import { recordAudit } from '@/lib/auth/audit';
import { unauthorizedResponse } from '@/lib/auth/http';
import { clientAddress } from '@/lib/auth/request';
import { viewerFromHeaders, type Viewer } from '@/lib/auth/session';

const LABELS = { daily: 'Daily report CSV', transactions: 'Transactions CSV' } as const;

/**
 * A CSV route behind a session: 401 without one; otherwise the export (its scope narrowed to the
 * viewer by the report context) and, when it starts, an audit entry with the file and the filters.
 */
export async function auditedExport(
  request: NextRequest,
  kind: keyof typeof LABELS,
  respond: (viewer: Viewer) => Promise<Response>,
): Promise<Response> {
  const viewer = await viewerFromHeaders(request.headers);
  if (!viewer) return unauthorizedResponse();
  const response = await respond(viewer);
  if (response.ok) {
    const file = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? kind;
    const filters = request.nextUrl.searchParams.toString();
    await recordAudit({
      actor: viewer,
      action: 'export',
      detail: `${LABELS[kind]} ${file}${filters ? ` (${decodeURIComponent(filters)})` : ''}.`,
      address: clientAddress(request.headers),
    });
  }
  return response;
}
