/**
 * Accounts and access (issue 12). The first four tables are Better Auth's (its drizzle adapter
 * finds them by these export names: `user.modelName` = `users` and so on in lib/auth/config.ts, and
 * by these camelCase property names); the rest are Washboard's: role and site assignments, the
 * sign-in throttle's attempts, the audit log and one-time invitation links.
 *
 * Re-exported by `db/schema.ts`, so migrations, the one connection and drizzle see one schema.
 * Times are epoch milliseconds, as everywhere in Washboard (Better Auth's `date` fields map to
 * `timestamp_ms` integers).
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Better Auth's user, with Washboard's role. Assigned sites are in {@link userSites}. */
export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Stored lower-case (Better Auth normalises it); unique. */
  email: text('email').notNull().unique(),
  emailVerified: integer('email_verified', { mode: 'boolean' }).notNull().default(false),
  image: text('image'),
  /** owner | manager | viewer (lib/auth/roles.ts). */
  role: text('role').notNull().default('viewer'),
  /** The demo owner and manager, created in demo mode and removed when real databases are configured. */
  isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Better Auth's sessions: one row per signed-in browser; the cookie holds the signed token. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    token: text('token').notNull().unique(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Better Auth's accounts: Washboard only has the `credential` provider, whose row holds the password hash. */
export const accounts = sqliteTable(
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
    accessTokenExpiresAt: integer('access_token_expires_at', { mode: 'timestamp_ms' }),
    refreshTokenExpiresAt: integer('refresh_token_expires_at', { mode: 'timestamp_ms' }),
    scope: text('scope'),
    /** The library's scrypt hash; never selected by Washboard's own queries. */
    password: text('password'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('accounts_user_idx').on(t.userId)],
);

/** Better Auth's verification values (unused by email and password sign-in today, required by the library). */
export const verifications = sqliteTable(
  'verifications',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('verifications_identifier_idx').on(t.identifier)],
);

/**
 * The sites a manager or viewer may see, as (database key, site code) pairs (FACTS §0: a site is
 * identified by both). No foreign key to `sites`: an assignment may name a site before the first
 * sync has listed it (the demo manager is created at start-up, before `/site/list` is read).
 */
export const userSites = sqliteTable(
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
export const signInAttempts = sqliteTable(
  'sign_in_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Lower-cased as typed, whether or not such a user exists. */
    email: text('email').notNull(),
    address: text('address').notNull(),
    succeeded: integer('succeeded', { mode: 'boolean' }).notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('sign_in_attempts_email_idx').on(t.email, t.at), index('sign_in_attempts_address_idx').on(t.address, t.at)],
);

/** Who did what, when and from where: sign-ins, failed sign-ins, sign-outs, Sync now, exports, user changes. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
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
export const invitations = sqliteTable('invitations', {
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

export type User = typeof users.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
