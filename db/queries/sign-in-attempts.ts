/**
 * Sign-in attempts for the guessing throttle (lib/auth/throttle.ts). Attempts older than a day are
 * pruned as new ones arrive, so the table stays small. Not `server-only`: Better Auth's hooks run
 * wherever its instance does (the users CLI builds one too, though it never signs in).
 */
import { and, desc, eq, gt, lt } from 'drizzle-orm';
import { getSqliteDb as getDb } from '@/db';
import { signInAttempts } from '@/db/schema';
import type { RecentFailures } from '@/lib/auth/throttle';

const KEEP_MS = 24 * 60 * 60_000;

export function recordSignInAttempt(attempt: { email: string; address: string; succeeded: boolean; at: number }): void {
  const { orm } = getDb();
  orm.transaction((tx) => {
    tx.insert(signInAttempts).values(attempt).run();
    tx.delete(signInAttempts).where(lt(signInAttempts.at, attempt.at - KEEP_MS)).run();
  });
}

/** Failures since `since` for the email (after its last success) and for the address. */
export function listRecentFailures({ email, address, since }: { email: string; address: string; since: number }): RecentFailures {
  const { orm } = getDb();
  const lastSuccess =
    orm
      .select({ at: signInAttempts.at })
      .from(signInAttempts)
      .where(and(eq(signInAttempts.email, email), eq(signInAttempts.succeeded, true), gt(signInAttempts.at, since)))
      .orderBy(desc(signInAttempts.at))
      .get()?.at ?? since;
  const failures = (column: typeof signInAttempts.email | typeof signInAttempts.address, value: string, after: number) =>
    orm
      .select({ at: signInAttempts.at })
      .from(signInAttempts)
      .where(and(eq(column, value), eq(signInAttempts.succeeded, false), gt(signInAttempts.at, after)))
      .all()
      .map((r) => r.at);
  return { email: failures(signInAttempts.email, email, lastSuccess), address: failures(signInAttempts.address, address, since) };
}
