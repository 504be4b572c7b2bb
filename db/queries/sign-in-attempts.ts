/**
 * Sign-in attempts for the guessing throttle (lib/auth/throttle.ts). Attempts older than a day are
 * pruned as new ones arrive, so the table stays small. Portable SQL for both dialects: with several
 * instances on one Postgres database, every instance counts the same attempts.
 *
 * Not `server-only`: Better Auth's hooks run wherever its instance does (the users CLI builds one
 * too, though it never signs in).
 */
import { getDb } from '@/db';
import type { RecentFailures } from '@/lib/auth/throttle';

const KEEP_MS = 24 * 60 * 60_000;

export async function recordSignInAttempt(attempt: { email: string; address: string; succeeded: boolean; at: number }): Promise<void> {
  await getDb().sql.transaction(async (tx) => {
    await tx.run('INSERT INTO sign_in_attempts (email, address, succeeded, at) VALUES (@email, @address, @succeeded, @at)', attempt);
    await tx.run('DELETE FROM sign_in_attempts WHERE at < ?', [attempt.at - KEEP_MS]);
  });
}

/** Failures since `since` for the email (after its last success) and for the address. */
export async function listRecentFailures({ email, address, since }: { email: string; address: string; since: number }): Promise<RecentFailures> {
  const { sql } = getDb();
  const lastSuccess =
    (await sql.get<{ at: number }>('SELECT max(at) AS at FROM sign_in_attempts WHERE email = ? AND succeeded = TRUE AND at > ?', [email, since]))?.at ?? since;
  const failures = async (column: 'email' | 'address', value: string, after: number) =>
    (await sql.all<{ at: number }>(`SELECT at FROM sign_in_attempts WHERE ${column} = ? AND succeeded = FALSE AND at > ?`, [value, after])).map((r) => r.at);
  const [byEmail, byAddress] = await Promise.all([failures('email', email, lastSuccess), failures('address', address, since)]);
  return { email: byEmail, address: byAddress };
}
