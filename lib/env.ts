/**
 * Washboard's configuration, read from the environment and validated once (t3-style).
 *
 * Deliberately free of `server-only` and side effects: `next.config.ts`, the CLIs and tests import it.
 * API keys are secrets: they live only in the returned object, never in a message.
 */
import path from 'node:path';
import { z } from 'zod';
import { isTimeZone } from './sonnys/dates';

export { isTimeZone };

export const PRODUCTION_BASE_URL = 'https://trigonapi.sonnyscontrols.com/v1';
export const DEFAULT_TIMEZONE = 'America/Chicago';
export const DEFAULT_DATABASE_URL = './data/washboard.db';

export interface DatabaseConfig {
  /** Lower-case key as listed in SONNYS_DATABASES, e.g. `washu`. */
  key: string;
  name: string;
  apiId: string;
  apiKey: string;
  baseUrl: string;
  /** IANA zone for sites whose `/site/list` entry has no timezone. */
  defaultTimezone: string;
}

export interface AppConfig {
  /** Absolute path of the SQLite file. */
  databasePath: string;
  /** `demo`: no SONNYS_DATABASES, the embedded simulator serves the data. */
  mode: 'demo' | 'live';
  /** Configured databases; empty in demo mode (the simulator's world supplies them). */
  databases: DatabaseConfig[];
  /** Automatic sync period while the app runs; 0 turns it off. */
  syncIntervalMinutes: number;
  /** How far back the first sync reaches, in days (the API keeps about 6 months). */
  backfillDays: number;
  /** The API's throttle per API ID: 20 requests per 15 000 ms in production. */
  rateLimit: { limit: number; windowMs: number };
  port: number;
  /**
   * Signs session cookies (a secret: never logged or shown). Unset means Washboard generates one on
   * first start and keeps it in {@link AppConfig.authSecretFile} (lib/auth/secret.ts).
   */
  authSecret: string | undefined;
  /** Where the generated secret is kept: beside the database file, readable by its owner only. */
  authSecretFile: string;
  /** Sync now on a database that synced successfully this recently answers "synced N s ago" instead of starting a run. */
  syncNowCooldownSeconds: number;
}

/** Shortest AUTH_SECRET accepted: 32 characters, as `openssl rand -base64 32` prints 44. */
export const AUTH_SECRET_MIN_LENGTH = 32;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = z.preprocess(blankToUndefined, z.string().trim().optional());
const integerInRange = (min: number, max: number, fallback: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int({ error: `must be a whole number from ${min} to ${max}` })
      .min(min, { error: `must be a whole number from ${min} to ${max}` })
      .max(max, { error: `must be a whole number from ${min} to ${max}` })
      .default(fallback),
  );

const baseSchema = z.object({
  DATABASE_URL: optionalText,
  SONNYS_DATABASES: optionalText,
  SYNC_INTERVAL_MINUTES: integerInRange(0, 24 * 60, 15),
  SYNC_BACKFILL_DAYS: integerInRange(1, 3660, 180),
  PORT: integerInRange(1, 65535, 3000),
  SYNC_NOW_COOLDOWN_SECONDS: integerInRange(0, 3600, 60),
  AUTH_SECRET: z.preprocess(
    blankToUndefined,
    z
      .string()
      .min(AUTH_SECRET_MIN_LENGTH, { error: `must be at least ${AUTH_SECRET_MIN_LENGTH} characters (for example the output of: openssl rand -base64 32)` })
      .optional(),
  ),
  SONNYS_RATE_LIMIT: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\s*\d+\s*\/\s*\d+(?:\.\d+)?\s*(?:ms|s)\s*$/, { error: 'must look like 20/15s (requests per window)' })
      .optional(),
  ),
});

/** `20/15s` or `20/500ms` → requests and window in ms. */
function parseRate(text: string | undefined): { limit: number; windowMs: number } {
  if (!text) return { limit: 20, windowMs: 15_000 };
  const m = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$/.exec(text)!;
  return { limit: Number(m[1]), windowMs: Math.round(Number(m[2]) * (m[3] === 's' ? 1000 : 1)) };
}

const databaseKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, { error: 'each key must start with a letter and use only a-z, 0-9 and _' });

const perDatabaseSchema = (prefix: string) =>
  z.object({
    [`${prefix}_API_ID`]: z.preprocess(blankToUndefined, z.string({ error: 'is required' }).trim()),
    [`${prefix}_API_KEY`]: z.preprocess(blankToUndefined, z.string({ error: 'is required' }).trim()),
    [`${prefix}_NAME`]: optionalText,
    [`${prefix}_BASE_URL`]: z.preprocess(
      blankToUndefined,
      z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
        .optional(),
    ),
    [`${prefix}_TIMEZONE`]: z.preprocess(
      blankToUndefined,
      z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as America/Chicago' }).optional(),
    ),
  });

/** One sentence naming the variable; never echoes a value (it may be a secret). */
function describe(issue: z.core.$ZodIssue, prefix = ''): string {
  const variable = issue.path.length ? `${prefix}${String(issue.path[0])}` : prefix || 'the environment';
  return `Configuration error: ${variable} ${issue.message}.`;
}

/** Parses the environment. Throws {@link ConfigError} with one clear sentence when it is wrong. */
export function parseEnv(env: Env, cwd = process.cwd()): AppConfig {
  const base = baseSchema.safeParse(env);
  if (!base.success) throw new ConfigError(describe(base.error.issues[0]!));
  const { DATABASE_URL, SONNYS_DATABASES, SYNC_INTERVAL_MINUTES, SYNC_BACKFILL_DAYS, PORT, SONNYS_RATE_LIMIT, AUTH_SECRET, SYNC_NOW_COOLDOWN_SECONDS } =
    base.data;
  const rateLimit = parseRate(SONNYS_RATE_LIMIT);
  if (rateLimit.limit < 1 || rateLimit.windowMs < 1) {
    throw new ConfigError('Configuration error: SONNYS_RATE_LIMIT must allow at least 1 request per window.');
  }

  const databaseUrl = (DATABASE_URL ?? DEFAULT_DATABASE_URL).replace(/^file:/, '');
  const databasePath = path.resolve(cwd, databaseUrl);

  const keys = (SONNYS_DATABASES ?? '')
    .split(',')
    .map((k) => k.trim().toLowerCase())
    .filter(Boolean);
  const databases: DatabaseConfig[] = [];
  for (const key of keys) {
    const parsedKey = databaseKey.safeParse(key);
    if (!parsedKey.success) {
      throw new ConfigError(`Configuration error: SONNYS_DATABASES lists "${key}", but ${parsedKey.error.issues[0]!.message}.`);
    }
    if (databases.some((d) => d.key === key)) {
      throw new ConfigError(`Configuration error: SONNYS_DATABASES lists "${key}" twice.`);
    }
    const prefix = `SONNYS_${key.toUpperCase()}`;
    const parsed = perDatabaseSchema(prefix).safeParse(env);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const variable = String(issue.path[0]);
      const because = issue.message === 'is required' ? ` because SONNYS_DATABASES lists "${key}"` : '';
      throw new ConfigError(`Configuration error: ${variable} ${issue.message}${because}.`);
    }
    const v = parsed.data as Record<string, string | undefined>;
    databases.push({
      key,
      name: v[`${prefix}_NAME`] ?? key,
      apiId: v[`${prefix}_API_ID`]!,
      apiKey: v[`${prefix}_API_KEY`]!,
      baseUrl: (v[`${prefix}_BASE_URL`] ?? PRODUCTION_BASE_URL).replace(/\/+$/, ''),
      defaultTimezone: v[`${prefix}_TIMEZONE`] ?? DEFAULT_TIMEZONE,
    });
  }

  return {
    databasePath,
    mode: databases.length ? 'live' : 'demo',
    databases,
    syncIntervalMinutes: SYNC_INTERVAL_MINUTES,
    backfillDays: SYNC_BACKFILL_DAYS,
    rateLimit,
    port: PORT,
    authSecret: AUTH_SECRET,
    authSecretFile: path.join(path.dirname(databasePath), 'auth-secret'),
    syncNowCooldownSeconds: SYNC_NOW_COOLDOWN_SECONDS,
  };
}

let cached: AppConfig | undefined;

/** The process's configuration, parsed on first use. */
export function getConfig(): AppConfig {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For entry points: parse the configuration or exit with the one-sentence reason. */
export function getConfigOrExit(): AppConfig {
  try {
    return getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
