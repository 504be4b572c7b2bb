/**
 * The password-guessing throttle (issue 12): after 5 wrong passwords for one email, or 20 from one
 * address, within 15 minutes, sign-in refuses (without checking the password) until enough of those
 * failures are older than 15 minutes. A successful sign-in clears the email's count (not the
 * address's: one right password among many guesses says nothing about the others).
 *
 * Pure arithmetic over failure times, so it is tested with plain numbers; lib/auth/config.ts reads
 * the failures from the database (db/queries/sign-in-attempts.ts) and records each attempt.
 */
export const THROTTLE = {
  windowMs: 15 * 60_000,
  perEmail: 5,
  perAddress: 20,
} as const;

export type ThrottlePolicy = { windowMs: number; perEmail: number; perAddress: number };

/** Failure times (epoch ms) that count: within the window, and for the email after its last success. */
export interface RecentFailures {
  email: readonly number[];
  address: readonly number[];
}

export type ThrottleDecision = { blocked: false } | { blocked: true; retryAt: number; minutes: number };

/**
 * When `limit` or more failures are in the window, the block lasts until the oldest failure that
 * keeps the count at the limit leaves the window.
 */
function blockedUntil(failures: readonly number[], limit: number, now: number, windowMs: number): number | null {
  const recent = failures.filter((t) => t > now - windowMs && t <= now).sort((a, b) => a - b);
  if (recent.length < limit) return null;
  return recent[recent.length - limit]! + windowMs;
}

export function throttleDecision(failures: RecentFailures, now: number, policy: ThrottlePolicy = THROTTLE): ThrottleDecision {
  const until = Math.max(
    blockedUntil(failures.email, policy.perEmail, now, policy.windowMs) ?? 0,
    blockedUntil(failures.address, policy.perAddress, now, policy.windowMs) ?? 0,
  );
  if (until <= now) return { blocked: false };
  return { blocked: true, retryAt: until, minutes: Math.max(1, Math.ceil((until - now) / 60_000)) };
}

/** The sentence the sign-in form shows while blocked. */
export function throttleMessage(minutes: number): string {
  return `Too many attempts; try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}
