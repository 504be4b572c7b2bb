/**
 * Washboard's configuration, read from the environment and validated once (t3-style).
 *
 * Deliberately free of `server-only` and side effects: `next.config.ts`, the CLIs and tests import it.
 * API keys are secrets: they live only in the returned object, never in a message.
 */
import path from 'node:path';
import { z } from 'zod';
import { isTimeZone } from './calendar';
import { API_RATE_LIMIT, PRODUCTION_BASE_URL } from './sonnys/constants';

/** The zone of a database whose sites report none and whose `SONNYS_<KEY>_TIMEZONE` is unset (and of the demo's). */
export const DEFAULT_TIMEZONE = 'America/Chicago';
/** Where the SQLite file lives when `DATABASE_URL` is unset, relative to the working directory. */
export const DEFAULT_DATABASE_URL = './data/washboard.db';

/** The SQLite file a `DATABASE_URL` names (a path, or `file:` and a path), as given: relative paths stay relative. */
export function databaseFileOf(databaseUrl: string | undefined): string {
  return (databaseUrl ?? DEFAULT_DATABASE_URL).replace(/^file:/, '');
}

/** Whether a `DATABASE_URL` names a Postgres server rather than a SQLite file. */
export function isPostgresUrl(databaseUrl: string | undefined): databaseUrl is string {
  return /^postgres(ql)?:\/\//i.test(databaseUrl ?? '');
}

/** A Postgres URL without its password, for messages and logs. */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/** Where the archive lives: a SQLite file (the default) or a Postgres database (issue 14). */
export type StorageConfig = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string; label: string };

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

/** Site code (upper case) → IANA zone the operator set for it, winning over the API's. */
export type SiteTimezones = Record<string, string>;

export interface AppConfig {
  /** The archive's dialect and location (`DATABASE_URL`). */
  storage: StorageConfig;
  /**
   * Absolute path of the SQLite file; with Postgres, of the local data folder's anchor
   * (`data/washboard.db`, never opened) that backups and the auth secret default beside.
   */
  databasePath: string;
  /** `demo`: no SONNYS_DATABASES, the embedded simulator serves the data. */
  mode: 'demo' | 'live';
  /** Configured databases; empty in demo mode (the simulator's world supplies them). */
  databases: DatabaseConfig[];
  /**
   * Per database key, the zones set with `SONNYS_<KEY>_SITE_TIMEZONES=KAPOLEI=Pacific/Honolulu,...`
   * (also read in demo mode, for the demo's databases).
   */
  siteTimezones: Record<string, SiteTimezones>;
  /** Automatic sync period while the app runs; 0 turns it off. */
  syncIntervalMinutes: number;
  /** How far back the first sync reaches, in days (the API keeps about 6 months). */
  backfillDays: number;
  /** Also sync the car-wash KPI data (wash lists, membership checks, clock entries). */
  syncKpis: boolean;
  /** The API's throttle per API ID (`SONNYS_RATE_LIMIT`; the API's own, `API_RATE_LIMIT`, by default). */
  rateLimit: { limit: number; windowMs: number };
  port: number;
  /** Absolute path of the backup folder (BACKUP_DIR; default `backups/` beside the database file). */
  backupDir: string;
  /** Hours between the web server's automatic backups; 0 turns them off. */
  backupIntervalHours: number;
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
  SYNC_KPIS: z.preprocess(
    blankToUndefined,
    z
      .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'], { error: 'must be on or off' })
      .optional()
      .transform((v) => v === undefined || ['1', 'true', 'on', 'yes'].includes(v)),
  ),
  PORT: integerInRange(1, 65535, 3000),
  BACKUP_DIR: optionalText,
  BACKUP_INTERVAL_HOURS: integerInRange(0, 24 * 366, 24),
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
  if (!text) return { ...API_RATE_LIMIT };
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

const SITE_TIMEZONES_VARIABLE = /^SONNYS_([A-Z][A-Z0-9_]{0,31})_SITE_TIMEZONES$/;

/**
 * `KAPOLEI=Pacific/Honolulu,DENVER=America/Denver` → `{ KAPOLEI: 'Pacific/Honolulu', ... }`. Not a
 * secret, so the sentence may quote the offending entry.
 */
export function parseSiteTimezones(variable: string, text: string): SiteTimezones {
  const zones: SiteTimezones = {};
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    const code = eq > 0 ? entry.slice(0, eq).trim().toUpperCase() : '';
    const zone = eq > 0 ? entry.slice(eq + 1).trim() : '';
    if (!code || !zone) {
      throw new ConfigError(`Configuration error: ${variable} must list SITE=Zone pairs separated by commas (e.g. KAPOLEI=Pacific/Honolulu); "${entry.slice(0, 60)}" is not one.`);
    }
    if (!isTimeZone(zone)) {
      throw new ConfigError(`Configuration error: ${variable} gives site ${code.slice(0, 40)} the zone "${zone.slice(0, 60)}", which is not an IANA time zone such as America/Chicago.`);
    }
    if (code in zones) throw new ConfigError(`Configuration error: ${variable} lists site ${code.slice(0, 40)} twice.`);
    zones[code] = zone;
  }
  return zones;
}

/** Every `SONNYS_<KEY>_SITE_TIMEZONES` in the environment, by lower-case database key. */
function readSiteTimezones(env: Env, knownKeys: string[] | null): Record<string, SiteTimezones> {
  const all: Record<string, SiteTimezones> = {};
  for (const [variable, value] of Object.entries(env)) {
    const match = SITE_TIMEZONES_VARIABLE.exec(variable);
    if (!match || value === undefined || value.trim() === '') continue;
    const key = match[1]!.toLowerCase();
    if (knownKeys && !knownKeys.includes(key)) {
      throw new ConfigError(`Configuration error: ${variable} names a database that SONNYS_DATABASES does not list.`);
    }
    all[key] = parseSiteTimezones(variable, value);
  }
  return all;
}

/** One sentence naming the variable; never echoes a value (it may be a secret). */
function describe(issue: z.core.$ZodIssue, prefix = ''): string {
  const variable = issue.path.length ? `${prefix}${String(issue.path[0])}` : prefix || 'the environment';
  return `Configuration error: ${variable} ${issue.message}.`;
}

/** Parses the environment. Throws {@link ConfigError} with one clear sentence when it is wrong. */
export function parseEnv(env: Env, cwd = process.cwd()): AppConfig {
  const base = baseSchema.safeParse(env);
  if (!base.success) throw new ConfigError(describe(base.error.issues[0]!));
  const {
    DATABASE_URL,
    SONNYS_DATABASES,
    SYNC_INTERVAL_MINUTES,
    SYNC_BACKFILL_DAYS,
    SYNC_KPIS,
    PORT,
    SONNYS_RATE_LIMIT,
    BACKUP_DIR,
    BACKUP_INTERVAL_HOURS,
    AUTH_SECRET,
    SYNC_NOW_COOLDOWN_SECONDS,
  } = base.data;
  const rateLimit = parseRate(SONNYS_RATE_LIMIT);
  if (rateLimit.limit < 1 || rateLimit.windowMs < 1) {
    throw new ConfigError('Configuration error: SONNYS_RATE_LIMIT must allow at least 1 request per window.');
  }

  const postgres = isPostgresUrl(DATABASE_URL);
  if (postgres) {
    try {
      new URL(DATABASE_URL);
    } catch {
      throw new ConfigError('Configuration error: DATABASE_URL starts with postgres:// but is not a valid URL.');
    }
  }
  const databasePath = path.resolve(cwd, databaseFileOf(postgres ? undefined : DATABASE_URL));
  const storage: StorageConfig = postgres
    ? { dialect: 'postgres', url: DATABASE_URL, label: redactDatabaseUrl(DATABASE_URL) }
    : { dialect: 'sqlite', path: databasePath };
  const backupDir = BACKUP_DIR ? path.resolve(cwd, BACKUP_DIR) : path.join(path.dirname(databasePath), 'backups');
  if (backupDir === path.dirname(databasePath)) {
    // Retention deletes files in the backup folder: never let it be the live database's own folder.
    throw new ConfigError('Configuration error: BACKUP_DIR must be a folder of its own, not the folder of the database file.');
  }

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
    storage,
    databasePath,
    mode: databases.length ? 'live' : 'demo',
    databases,
    siteTimezones: readSiteTimezones(env, databases.length ? databases.map((d) => d.key) : null),
    syncIntervalMinutes: SYNC_INTERVAL_MINUTES,
    backfillDays: SYNC_BACKFILL_DAYS,
    syncKpis: SYNC_KPIS,
    rateLimit,
    port: PORT,
    backupDir,
    backupIntervalHours: BACKUP_INTERVAL_HOURS,
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

/** Forgets the parsed configuration (tests that switch DATABASE_URL between dialects). */
export function resetConfig(): void {
  cached = undefined;
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
