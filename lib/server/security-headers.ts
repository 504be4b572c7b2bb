/**
 * The security headers every response carries (issue 12), one definition for the proxy and tests.
 *
 * Scripts run only from this origin and with the request's nonce (Next.js puts it on its own
 * scripts when it finds the policy in the request headers; 'strict-dynamic' lets those load the
 * page's chunks). Style attributes stay allowed (`style-src-attr`): React renders the charts' and
 * gauges' sizes as `style="…"`, which cannot carry a nonce, and CSS cannot run script. Nobody may
 * frame the app (clickjacking), and forms post only here.
 */
export function contentSecurityPolicy(nonce: string, { dev = false }: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    // Development only: React's dev tools evaluate source maps.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const STATIC_SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
} as const;

/** A fresh nonce: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
