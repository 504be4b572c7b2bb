/**
 * Accounts and access on Postgres: the same tables as db/auth-schema.ts (Better Auth's four and
 * Washboard's own), re-exported by db/postgres/schema.ts. Better Auth's dates are `timestamptz`.
 */
import { bigint, boolean, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Better Auth's user, with Washboard's role. Assigned sites are in {@link userSites}. */
export const users = pgTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Stored lower-case (Better Auth normalises it); unique. */
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  /** owner | manager | viewer (lib/auth/roles.ts). */
  role: text('role').notNull().default('viewer'),
  /** The demo owner and manager, created in demo mode and removed when real databases are configured. */
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** Better Auth's sessions: one row per signed-in browser; the cookie holds the signed token. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    token: text('token').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Better Auth's accounts: Washboard only has the `credential` provider, whose row holds the password hash. */
export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true, mode: 'date' }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true, mode: 'date' }),
    scope: text('scope'),
    /** The library's scrypt hash; never selected by Washboard's own queries. */
    password: text('password'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('accounts_user_idx').on(t.userId)],
);

/** Better Auth's verification values (unused by email and password sign-in today, required by the library). */
export const verifications = pgTable(
  'verifications',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('verifications_identifier_idx').on(t.identifier)],
);

/**
 * The sites a manager or viewer may see, as (database key, site code) pairs (FACTS §0: a site is
 * identified by both). No foreign key to `sites`: an assignment may name a site before the first
 * sync has listed it (the demo manager is created at start-up, before `/site/list` is read).
 */
export const userSites = pgTable(
  'user_sites',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    databaseKey: text('database_key').notNull(),
    siteCode: text('site_code').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.databaseKey, t.siteCode] })],
);

/** Every password check on the sign-in form, for the guessing throttle (lib/auth/throttle.ts). */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    /** Lower-cased as typed, whether or not such a user exists. */
    email: text('email').notNull(),
    address: text('address').notNull(),
    succeeded: boolean('succeeded').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [index('sign_in_attempts_email_idx').on(t.email, t.at), index('sign_in_attempts_address_idx').on(t.address, t.at)],
);

/** Who did what, when and from where: sign-ins, failed sign-ins, sign-outs, Sync now, exports, user changes. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    at: bigint('at', { mode: 'number' }).notNull(),
    /** Null for the command line and for failed sign-ins of unknown emails. */
    actorUserId: text('actor_user_id'),
    /** As it was at the time (users may be removed later); `command line` for the users CLI. */
    actorEmail: text('actor_email').notNull(),
    /** lib/auth/audit.ts AUDIT_ACTIONS */
    action: text('action').notNull(),
    /** One plain sentence: what was exported, which user changed and how. */
    detail: text('detail').notNull(),
    address: text('address'),
  },
  (t) => [index('audit_log_at_idx').on(t.at)],
);

/**
 * One-time links an owner copies to a new user (there is no mail server): the user exists with
 * its role and sites, and sets a password through the link. Only the token's SHA-256 is stored.
 */
export const invitations = pgTable('invitations', {
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  createdBy: text('created_by').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
});

export type User = typeof users.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
