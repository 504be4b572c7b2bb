/**
 * The session cookie's names, for the proxy's optimistic check (it does not open the database).
 * Better Auth names it `<prefix>.session_token`, with the `__Secure-` prefix when it sets `Secure`.
 */
export const COOKIE_PREFIX = 'washboard';
export const SESSION_COOKIE_NAMES = [`${COOKIE_PREFIX}.session_token`, `__Secure-${COOKIE_PREFIX}.session_token`] as const;

/** Sessions end after 7 days without use (issue 12); each use within them moves the end forward. */
export const SESSION_IDLE_SECONDS = 7 * 24 * 60 * 60;
/** How often a used session's end is moved forward (a write per session per day, not per page). */
export const SESSION_REFRESH_SECONDS = 24 * 60 * 60;
