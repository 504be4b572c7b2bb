/**
 * What Washboard reads from a request's headers for sign-in: the client's address and whether the
 * page was served over https. Pure (a `Headers` in, a value out) so the proxy, server actions and
 * tests share it.
 */

/**
 * The client's address as the nearest proxy reports it. Next.js fills `X-Forwarded-For` with the
 * socket's address when the request has none; behind a reverse proxy that appends, the last entry
 * is the one the proxy saw. A client that reaches Washboard directly can write this header, so the
 * per-address throttle is a second line: the per-email limit holds regardless.
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for');
  const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).at(-1);
  return (last ?? headers.get('x-real-ip') ?? 'unknown').slice(0, 64);
}

/**
 * True when the browser reached Washboard over https (directly, or through a proxy that says so):
 * session cookies are then `Secure`. Next.js sets `X-Forwarded-Proto` from the socket when absent.
 */
export function isSecureRequest(headers: Headers): boolean {
  return headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}
