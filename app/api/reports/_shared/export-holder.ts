import 'server-only';
import type { NextRequest } from 'next/server';

/**
 * Whose export a download is, for the per-person limit of CSV exports (lib/reports/export-slots).
 * There are no user accounts yet, so it is the client's address: the first `X-Forwarded-For` hop
 * (Next.js sets the header from the socket when no proxy did). A client can forge that header to
 * look like several people; the limit on all exports at once still holds.
 *
 * When sign-in exists, return the signed-in user's id here: this is the one place the routes ask.
 */
export function exportHolderOf(request: NextRequest): string {
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || request.headers.get('x-real-ip')?.trim() || 'unknown';
}
