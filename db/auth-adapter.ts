/**
 * Better Auth's storage: its drizzle adapter on the app's database, with the dialect and the
 * tables it needs. Here rather than in lib/auth so that the dialect is named only in `db/`.
 * Not `server-only`: the users CLI builds the same auth instance.
 */
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { getSqliteDb as getDb } from './index';
import { accounts, sessions, users, verifications } from './schema';

export function authDatabaseAdapter() {
  return drizzleAdapter(getDb().orm, { provider: 'sqlite', schema: { users, sessions, accounts, verifications } });
}
