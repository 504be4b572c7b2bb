/**
 * Better Auth's storage: its drizzle adapter on the app's database, with the dialect and the
 * tables it needs (SQLite's, or Postgres's mirror in db/postgres/auth-schema.ts, issue 14). Here
 * rather than in lib/auth so that the dialect is named only in `db/`.
 * Not `server-only`: the users CLI builds the same auth instance.
 */
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { getDb } from './index';
import * as postgresAuth from './postgres/auth-schema';
import { accounts, sessions, users, verifications } from './schema';

/** Async because on Postgres the adapter uses drizzle directly, which must wait for the migrations. */
export async function authDatabaseAdapter() {
  const db = getDb();
  if (db.kind === 'postgres') {
    await db.ready;
    const { users, sessions, accounts, verifications } = postgresAuth;
    return drizzleAdapter(db.orm, { provider: 'pg', schema: { users, sessions, accounts, verifications } });
  }
  return drizzleAdapter(db.orm, { provider: 'sqlite', schema: { users, sessions, accounts, verifications } });
}
