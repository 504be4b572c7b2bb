/**
 * The answers route handlers (and the proxy, before them) give a request without a valid session:
 * 401 with one sentence, as JSON, never a redirect an API client would follow.
 */
export const SIGN_IN_REQUIRED = 'Sign in to Washboard to use this.';

export function unauthorizedResponse(): Response {
  return Response.json({ message: SIGN_IN_REQUIRED }, { status: 401, headers: { 'Cache-Control': 'no-store' } });
}
