/**
 * Next.js 16's proxy (the middleware file): runs before every route.
 *
 * - Security headers on every response: a Content-Security-Policy with a fresh nonce (Next.js's
 *   documented pattern: the policy also travels in the request headers, where Next.js finds the
 *   nonce for its own scripts), `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`.
 * - An optimistic sign-in gate: without a session cookie, pages redirect to /login?next=<path> and
 *   /api/* answers 401 (except /api/health). It does not open the database; pages, route handlers
 *   and server actions validate the session themselves (lib/auth/viewer.ts).
 * - Bad input answered with 400 instead of a 500 deeper down: malformed percent-encoding in the
 *   path, a forged `Next-Action` header or action payload (413 when oversized:
 *   lib/server/action-request.ts), and a report page's unreadable date range (rewritten to the
 *   same page, which shows its sentence, with status 400).
 */
import { NextResponse, type NextRequest } from 'next/server';
import { SESSION_COOKIE_NAMES, SESSION_IDLE_SECONDS } from '@/lib/auth/cookies';
import { SIGN_IN_REQUIRED } from '@/lib/auth/http';
import { loginPath, PATH_HEADER } from '@/lib/auth/redirect';
import { parseRange } from '@/lib/reports/range';
import { checkActionRequest } from '@/lib/server/action-request';
import { contentSecurityPolicy, createNonce, STATIC_SECURITY_HEADERS } from '@/lib/server/security-headers';

/** Reachable without a session: the sign-in and invitation pages (and their actions), health, assets. */
function isPublic(pathname: string): boolean {
  return (
    pathname === '/login' ||
    pathname.startsWith('/invite/') ||
    pathname === '/api/health' ||
    pathname.startsWith('/_next/') ||
    pathname === '/icon.svg' ||
    pathname === '/favicon.ico' ||
    pathname === '/robots.txt'
  );
}

/** Report pages whose `preset`/`from`/`to` the proxy checks (the CSV routes answer 400 themselves). */
function isReportPage(pathname: string): boolean {
  return pathname === '/' || pathname.startsWith('/sites/');
}

/** Server action ids are hex digests; anything else in the header is forged. */
const ACTION_ID = /^[0-9a-f]{32,128}$/i;

function withSecurityHeaders<T extends Response>(response: T, csp: string): T {
  response.headers.set('Content-Security-Policy', csp);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

const BAD_ADDRESS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Address not readable · Washboard</title></head>
<body><main><h1>This address cannot be read</h1>
<p>Part of the address is not written correctly (a % sign must be followed by two hexadecimal digits). It may be a mistyped or cut-off link.</p>
<p><a href="/">Back to the overview</a></p></main></body></html>`;

function hasSessionCookie(request: NextRequest): string | undefined {
  for (const name of SESSION_COOKIE_NAMES) {
    const value = request.cookies.get(name)?.value;
    if (value) return name;
  }
  return undefined;
}

function pathIsReadable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function rangeProblem(request: NextRequest): boolean {
  const params = request.nextUrl.searchParams;
  if (!params.has('preset') && !params.has('from') && !params.has('to')) return false;
  const range = parseRange(
    { preset: params.get('preset') ?? undefined, from: params.get('from') ?? undefined, to: params.get('to') ?? undefined },
    // Whether a range is readable does not depend on today; the page resolves presets itself.
    { today: '2000-01-01' },
  );
  return !range.ok;
}

export async function proxy(request: NextRequest) {
  const nonce = createNonce();
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === 'development' });
  const { pathname, search } = request.nextUrl;
  const isApi = pathname.startsWith('/api/');

  if (!pathIsReadable(pathname)) {
    const response = isApi
      ? Response.json({ message: 'The address has a malformed %-escape.' }, { status: 400 })
      : new Response(BAD_ADDRESS_PAGE, { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    return withSecurityHeaders(response, csp);
  }

  const actionId = request.headers.get('next-action');
  if (request.method === 'POST' && actionId !== null && !ACTION_ID.test(actionId)) {
    return withSecurityHeaders(new Response('This request is not one Washboard sends.\n', { status: 400 }), csp);
  }

  const cookieName = hasSessionCookie(request);
  if (!cookieName && !isPublic(pathname)) {
    if (isApi || actionId !== null) {
      return withSecurityHeaders(Response.json({ message: SIGN_IN_REQUIRED }, { status: 401, headers: { 'Cache-Control': 'no-store' } }), csp);
    }
    return withSecurityHeaders(NextResponse.redirect(new URL(loginPath(`${pathname}${search}`), request.url)), csp);
  }

  if (request.method === 'POST' && !isApi) {
    const problem = await checkActionRequest(request);
    if (problem) return withSecurityHeaders(new Response(`${problem.message}\n`, { status: problem.status }), csp);
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  requestHeaders.set(PATH_HEADER, `${pathname}${search}`);

  const response =
    request.method === 'GET' && isReportPage(pathname) && rangeProblem(request)
      ? NextResponse.rewrite(request.nextUrl, { status: 400, request: { headers: requestHeaders } })
      : NextResponse.next({ request: { headers: requestHeaders } });

  // Sessions end after 7 idle days: each page view keeps the browser's cookie as long-lived as the
  // session row, whose end Better Auth moves forward when the page reads it. A stale cookie is
  // harmless: the page still checks the row.
  if (cookieName && request.method === 'GET' && request.headers.get('sec-fetch-dest') === 'document') {
    response.cookies.set(cookieName, request.cookies.get(cookieName)!.value, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: cookieName.startsWith('__Secure-'),
      maxAge: SESSION_IDLE_SECONDS,
    });
  }
  return withSecurityHeaders(response, csp);
}
