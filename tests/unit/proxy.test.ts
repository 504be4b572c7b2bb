/**
 * The proxy on its own (Next.js's NextRequest in, its response out): the sign-in gate, the headers
 * every response carries, and bad input answered with 400/413. The e2e suite checks the same
 * against the running server.
 */
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { proxy } from '@/proxy';

const BASE = 'http://localhost:3000';
const COOKIE = { cookie: 'washboard.session_token=abc.def' };
const req = (path: string, init: ConstructorParameters<typeof NextRequest>[1] = {}) => new NextRequest(new URL(path, BASE), init);

function expectSecurityHeaders(response: Response) {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
  expect(csp).not.toContain("'unsafe-inline' ");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('same-origin');
}

/** A multipart action body as React sends it for `action(previousState, formData)`. */
function actionBody(root: string, fields: Record<string, string> = { '1_email': 'a@example.com' }) {
  const form = new FormData();
  form.set('0', root);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}
const ACTION = '602b6ea46db851fd7c72eb505ec5baee4f1d80db76';

describe('proxy', () => {
  it('sends pages without a session cookie to sign in, and back afterwards', async () => {
    const response = await proxy(req('/sites/washu/JOLIET?preset=last7'));
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe(`${BASE}/login?next=%2Fsites%2Fwashu%2FJOLIET%3Fpreset%3Dlast7`);
    expectSecurityHeaders(response);
  });

  it('answers 401 with a sentence for the API without a session, except the health check', async () => {
    for (const path of ['/api/sync/status', '/api/reports/daily?db=icon', '/api/reports/transactions']) {
      const response = await proxy(req(path));
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Sign in to Washboard to use this.' });
      expectSecurityHeaders(response);
    }
    const health = await proxy(req('/api/health'));
    expect(health.headers.get('x-middleware-next')).toBe('1');
    expectSecurityHeaders(health);
  });

  it('lets the sign-in and invitation pages and assets through, with the headers and a fresh nonce for Next.js', async () => {
    const a = await proxy(req('/login'));
    const b = await proxy(req('/invite/some-token-value-long-enough'));
    for (const r of [a, b]) {
      expect(r.headers.get('x-middleware-next')).toBe('1');
      expectSecurityHeaders(r);
      // The policy also travels in the request headers: Next.js reads the nonce for its scripts there.
      expect(r.headers.get('x-middleware-override-headers')).toContain('content-security-policy');
    }
    expect(a.headers.get('content-security-policy')).not.toBe(b.headers.get('content-security-policy'));
    expectSecurityHeaders(await proxy(req('/_next/static/chunks/main.js')));
  });

  it('lets a page with a session cookie through and keeps the cookie alive for 7 idle days', async () => {
    const response = await proxy(req('/sync', { headers: { ...COOKIE, 'sec-fetch-dest': 'document' } }));
    expect(response.headers.get('x-middleware-next')).toBe('1');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^washboard\.session_token=abc\.def;/);
    expect(cookie).toMatch(/Max-Age=604800/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=lax/i);
  });

  it('answers 400 for malformed percent-encoding instead of a 500', async () => {
    const page = await proxy(req('/sites/washu/%FF', { headers: COOKIE }));
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('This address cannot be read');
    expectSecurityHeaders(page);
    expect((await proxy(req('/api/reports/%E0%A4%A', { headers: COOKIE }))).status).toBe(400);
  });

  it('rewrites a report page with an unreadable range to itself with status 400', async () => {
    for (const query of ['?from=2026-13-45&to=2026-12-01', '?preset=nope', '?from=2026-02-01']) {
      const response = await proxy(req(`/${query}`, { headers: COOKIE }));
      expect(response.status).toBe(400);
      expect(response.headers.get('x-middleware-rewrite')).toBe(`${BASE}/${query}`);
    }
    expect((await proxy(req('/sites/washu/JOLIET?preset=yesterday', { headers: COOKIE }))).status).toBe(200);
  });

  it('refuses forged and oversized server-action requests with 400 and 413', async () => {
    const post = (body: BodyInit, headers: Record<string, string> = {}) =>
      proxy(req('/sync', { method: 'POST', body, headers: { ...COOKIE, 'next-action': ACTION, ...headers } }));
    expect((await post('x', { 'next-action': '<script>' })).status).toBe(400);
    expect((await post('[1,2,3]', { 'content-type': 'text/plain;charset=UTF-8' })).status).toBe(400);
    expect((await post('garbage', { 'content-type': 'multipart/form-data; boundary=xyz' })).status).toBe(400);
    expect((await post(actionBody('{{{'))).status).toBe(400);
    expect((await post(actionBody('[1,2]'))).status).toBe(400);
    expect((await post(actionBody('["$@5","$K1"]'))).status).toBe(400);
    expect((await post(actionBody('["$K1"]', { '1_big': 'a'.repeat(200_000) }))).status).toBe(413);
    expect((await post('x', { 'content-length': '5000000', 'content-type': 'text/plain' })).status).toBe(413);
    // What React sends passes: the previous state and the form.
    expect((await post(actionBody('["$undefined","$K1"]'))).headers.get('x-middleware-next')).toBe('1');
    expect((await post(actionBody('["$K1"]'))).headers.get('x-middleware-next')).toBe('1');
    // A form without fields (the header's Sign out) arrives as plain text.
    expect((await post('[]', { 'content-type': 'text/plain;charset=UTF-8' })).headers.get('x-middleware-next')).toBe('1');
    expect((await post('["$K1"]', { 'content-type': 'text/plain;charset=UTF-8' })).headers.get('x-middleware-next')).toBe('1');
    expect((await post('["$@1","$K1"]', { 'content-type': 'text/plain;charset=UTF-8' })).status).toBe(400);
  });

  it('answers 401 to a server action without a session cookie outside the sign-in pages', async () => {
    const response = await proxy(req('/sync', { method: 'POST', body: actionBody('["$K1"]'), headers: { 'next-action': ACTION } }));
    expect(response.status).toBe(401);
    const login = await proxy(req('/login', { method: 'POST', body: actionBody('["$undefined","$K1"]'), headers: { 'next-action': ACTION } }));
    expect(login.headers.get('x-middleware-next')).toBe('1');
  });
});
