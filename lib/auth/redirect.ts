/**
 * Where sign-in sends people back to. Only a path on this site is followed: `next=https://evil`,
 * `//evil`, `/\evil` and anything that resolves elsewhere fall back to the overview.
 */
export const LOGIN_PATH = '/login';

export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  try {
    const base = 'http://washboard.invalid';
    const url = new URL(next, base);
    if (url.origin !== base) return '/';
    const path = `${url.pathname}${url.search}${url.hash}`;
    return url.pathname === LOGIN_PATH ? '/' : path;
  } catch {
    return '/';
  }
}

/** The sign-in page, with the way back when it is not the overview. */
export function loginPath(next: string): string {
  const back = safeNextPath(next);
  return back === '/' ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(back)}`;
}

/** Request header the proxy sets to the path and query asked for, so a page can send the visitor back after sign-in. */
export const PATH_HEADER = 'x-washboard-path';
