/**
 * Better Auth on Washboard's database (issue 12; SQLite or Postgres since issue 14): email and
 * password only, no sign-up (owners and the users CLI create accounts), sessions in httpOnly SameSite=Lax cookies that end after 7
 * days without use, password hashing and session tokens by the library.
 *
 * Washboard mounts none of the library's HTTP endpoints: sign-in, sign-out and invitations are
 * server actions calling `auth.api.*` (fewer public endpoints, none that could set a role). The
 * guessing throttle and the sign-in audit sit in the library's hooks, so every sign-in path passes
 * them.
 *
 * Not `server-only` because the users CLI builds the same instance (for the same password hashing);
 * it holds the secret, so client code must never import it (nothing under components/ does).
 */
import { betterAuth } from 'better-auth';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import { nextCookies } from 'better-auth/next-js';
import { authDatabaseAdapter } from '@/db/auth-adapter';
import { listRecentFailures, recordSignInAttempt } from '@/db/queries/sign-in-attempts';
import { getConfig } from '@/lib/env';
import { recordAudit } from './audit';
import { COOKIE_PREFIX, SESSION_IDLE_SECONDS, SESSION_REFRESH_SECONDS } from './cookies';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password';
import { clientAddress } from './request';
import { resolveAuthSecret } from './secret';
import { THROTTLE, throttleDecision, throttleMessage } from './throttle';

const SIGN_IN_PATH = '/sign-in/email';

function signInEmailOf(body: unknown): string {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : '';
}

/** Refuses a sign-in while the email or the address is over the throttle, before the password is checked. */
const throttleHook = createAuthMiddleware(async (ctx) => {
  if (ctx.path !== SIGN_IN_PATH) return;
  const email = signInEmailOf(ctx.body);
  const address = ctx.headers ? clientAddress(ctx.headers) : 'unknown';
  const now = Date.now();
  const decision = throttleDecision(await listRecentFailures({ email, address, since: now - THROTTLE.windowMs }), now);
  if (decision.blocked) {
    await recordAudit({ actor: { email }, action: 'sign-in-failed', detail: 'Refused: too many attempts.', address, at: now });
    throw new APIError('TOO_MANY_REQUESTS', { message: throttleMessage(decision.minutes) });
  }
});

/** Counts each password check for the throttle and writes the sign-in (or its failure) to the audit log. */
const recordHook = createAuthMiddleware(async (ctx) => {
  if (ctx.path !== SIGN_IN_PATH) return;
  const email = signInEmailOf(ctx.body);
  const address = ctx.headers ? clientAddress(ctx.headers) : 'unknown';
  const at = Date.now();
  const session = ctx.context.newSession;
  if (session) {
    await recordSignInAttempt({ email, address, succeeded: true, at });
    await recordAudit({ actor: { userId: session.user.id, email: session.user.email }, action: 'sign-in', detail: 'Signed in with a password.', address, at });
  } else if (isAPIError(ctx.context.returned) && ctx.context.returned.statusCode === 401) {
    await recordSignInAttempt({ email, address, succeeded: false, at });
    await recordAudit({ actor: { email }, action: 'sign-in-failed', detail: 'Wrong email or password.', address, at });
  }
});

function createAuth({ secure, secret, database }: { secure: boolean; secret: string; database: Awaited<ReturnType<typeof authDatabaseAdapter>> }) {
  const config = getConfig();
  return betterAuth({
    appName: 'Washboard',
    secret,
    // Only used to build links in emails and OAuth callbacks, neither of which Washboard has.
    baseURL: `http://localhost:${config.port}`,
    database,
    user: {
      modelName: 'users',
      additionalFields: {
        // `input: false`: no request body can set these; Washboard's own code does.
        role: { type: 'string', required: false, defaultValue: 'viewer', input: false },
        isDemo: { type: 'boolean', required: false, defaultValue: false, input: false },
      },
    },
    session: { modelName: 'sessions', expiresIn: SESSION_IDLE_SECONDS, updateAge: SESSION_REFRESH_SECONDS },
    account: { modelName: 'accounts' },
    verification: { modelName: 'verifications' },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      autoSignIn: false,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
    },
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      useSecureCookies: secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure },
    },
    // Washboard's own throttle (above) counts wrong passwords; the library's limiter guards its
    // HTTP endpoints, which are not mounted.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    // The library warns on every wrong password ("Invalid password"); the audit log has them.
    logger: { level: 'error' },
    hooks: { before: throttleHook, after: recordHook },
    // Lets `auth.api.*` called from a server action set and clear the session cookie; last, as documented.
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

// One instance per cookie flavour (plain for http, `Secure` for https), per process, made on first
// use. Async because on Postgres the secret is read from the database (lib/auth/secret.ts) and the
// adapter waits for the migrations.
const globalForAuth = globalThis as unknown as { __washboardAuth?: Map<boolean, Promise<Auth>> };

/** The Better Auth instance for a request served over https (`secure`) or plain http. */
export function getAuth({ secure = false }: { secure?: boolean } = {}): Promise<Auth> {
  const instances = (globalForAuth.__washboardAuth ??= new Map());
  let auth = instances.get(secure);
  if (!auth) {
    auth = Promise.all([resolveAuthSecret(getConfig()), authDatabaseAdapter()]).then(([secret, database]) => createAuth({ secure, secret, database }));
    // A failure (an unreadable secret file, the database down) is tried again on the next call.
    auth.catch(() => instances.get(secure) === auth && instances.delete(secure));
    instances.set(secure, auth);
  }
  return auth;
}

/** Forgets the instances (tests that switch databases). */
export function resetAuth(): void {
  globalForAuth.__washboardAuth = undefined;
}
