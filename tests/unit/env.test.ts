import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '@/lib/env';
import { PRODUCTION_BASE_URL } from '@/lib/sonnys';

const cwd = '/srv/washboard';

describe('parseEnv', () => {
  it('runs in demo mode with defaults when nothing is configured', () => {
    const config = parseEnv({}, cwd);
    expect(config.mode).toBe('demo');
    expect(config.databases).toEqual([]);
    expect(config.databasePath).toBe(path.join(cwd, 'data', 'washboard.db'));
    expect(config.syncIntervalMinutes).toBe(15);
    expect(config.port).toBe(3000);
    expect(config.rateLimit).toEqual({ limit: 20, windowMs: 15_000 });
    expect(config.backupDir).toBe(path.join(cwd, 'data', 'backups'));
    expect(config.backupIntervalHours).toBe(24);
  });

  it('puts backups beside the database file unless BACKUP_DIR says where', () => {
    expect(parseEnv({ DATABASE_URL: '/var/lib/wb/archive.db' }, cwd).backupDir).toBe('/var/lib/wb/backups');
    const config = parseEnv({ BACKUP_DIR: 'snapshots', BACKUP_INTERVAL_HOURS: '0' }, cwd);
    expect(config.backupDir).toBe(path.join(cwd, 'snapshots'));
    expect(config.backupIntervalHours).toBe(0);
  });

  it('reads a throttle for simulators with shrunken windows', () => {
    expect(parseEnv({ SONNYS_RATE_LIMIT: '5/500ms' }, cwd).rateLimit).toEqual({ limit: 5, windowMs: 500 });
    expect(parseEnv({ SONNYS_RATE_LIMIT: '20 / 1.5s' }, cwd).rateLimit).toEqual({ limit: 20, windowMs: 1500 });
  });

  it('reads every database listed in SONNYS_DATABASES with its defaults', () => {
    const config = parseEnv(
      {
        SONNYS_DATABASES: 'washu, Icon',
        SONNYS_WASHU_API_ID: 'washu-id',
        SONNYS_WASHU_API_KEY: 'washu-secret',
        SONNYS_WASHU_NAME: 'WashU',
        SONNYS_ICON_API_ID: 'icon-id',
        SONNYS_ICON_API_KEY: 'icon-secret',
        SONNYS_ICON_BASE_URL: 'http://127.0.0.1:4010/v1/',
        SONNYS_ICON_TIMEZONE: 'America/Denver',
        SYNC_INTERVAL_MINUTES: '0',
        DATABASE_URL: 'file:/tmp/x.db',
      },
      cwd,
    );
    expect(config.mode).toBe('live');
    expect(config.databasePath).toBe('/tmp/x.db');
    expect(config.syncIntervalMinutes).toBe(0);
    expect(config.databases).toEqual([
      { key: 'washu', name: 'WashU', apiId: 'washu-id', apiKey: 'washu-secret', baseUrl: PRODUCTION_BASE_URL, defaultTimezone: 'America/Chicago' },
      { key: 'icon', name: 'icon', apiId: 'icon-id', apiKey: 'icon-secret', baseUrl: 'http://127.0.0.1:4010/v1', defaultTimezone: 'America/Denver' },
    ]);
  });

  it('names the missing API ID in one sentence', () => {
    expect(() => parseEnv({ SONNYS_DATABASES: 'washu', SONNYS_WASHU_API_KEY: 'top-secret' }, cwd)).toThrow(
      new ConfigError('Configuration error: SONNYS_WASHU_API_ID is required because SONNYS_DATABASES lists "washu".'),
    );
  });

  it('never echoes a secret in its message', () => {
    try {
      parseEnv({ SONNYS_DATABASES: 'washu', SONNYS_WASHU_API_ID: 'id', SONNYS_WASHU_API_KEY: 'top-secret', SONNYS_WASHU_TIMEZONE: 'Mars/Olympus' }, cwd);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(
        'Configuration error: SONNYS_WASHU_TIMEZONE must be an IANA time zone such as America/Chicago.',
      );
      expect((error as Error).message).not.toContain('top-secret');
    }
  });

  it('keeps the auth secret beside the database unless AUTH_SECRET is set, and never names it in a message', () => {
    const config = parseEnv({ DATABASE_URL: '/var/lib/washboard/w.db' }, cwd);
    expect(config.authSecret).toBeUndefined();
    expect(config.authSecretFile).toBe('/var/lib/washboard/auth-secret');
    expect(config.syncNowCooldownSeconds).toBe(60);
    const secret = 'x'.repeat(44);
    expect(parseEnv({ AUTH_SECRET: secret, SYNC_NOW_COOLDOWN_SECONDS: '0' }, cwd)).toMatchObject({ authSecret: secret, syncNowCooldownSeconds: 0 });
    try {
      parseEnv({ AUTH_SECRET: 'short-but-secret' }, cwd);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe(
        'Configuration error: AUTH_SECRET must be at least 32 characters (for example the output of: openssl rand -base64 32).',
      );
    }
  });

  it.each([
    [{ SYNC_NOW_COOLDOWN_SECONDS: '-1' }, 'SYNC_NOW_COOLDOWN_SECONDS must be a whole number from 0 to 3600'],
    [{ SYNC_INTERVAL_MINUTES: 'soon' }, 'SYNC_INTERVAL_MINUTES must be a whole number from 0 to 1440'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 1 to 65535'],
    [{ BACKUP_INTERVAL_HOURS: '1.5' }, 'Configuration error: BACKUP_INTERVAL_HOURS must be a whole number from 0 to 8784.'],
    [{ BACKUP_INTERVAL_HOURS: '-1' }, 'BACKUP_INTERVAL_HOURS must be a whole number from 0 to 8784'],
    [{ DATABASE_URL: '/srv/db/w.db', BACKUP_DIR: '/srv/db/' }, 'Configuration error: BACKUP_DIR must be a folder of its own, not the folder of the database file.'],
    [{ SONNYS_RATE_LIMIT: 'fast' }, 'SONNYS_RATE_LIMIT must look like 20/15s'],
    [{ SONNYS_RATE_LIMIT: '0/15s' }, 'SONNYS_RATE_LIMIT must allow at least 1 request'],
    [{ SONNYS_DATABASES: 'wash-u' }, 'SONNYS_DATABASES lists "wash-u", but each key must start with a letter'],
    [{ SONNYS_DATABASES: 'a,a', SONNYS_A_API_ID: 'x', SONNYS_A_API_KEY: 'y' }, 'SONNYS_DATABASES lists "a" twice'],
    [
      { SONNYS_DATABASES: 'a', SONNYS_A_API_ID: 'x', SONNYS_A_API_KEY: 'y', SONNYS_A_BASE_URL: 'ftp://example' },
      'SONNYS_A_BASE_URL must be an http(s) URL',
    ],
  ])('rejects %j', (env, message) => {
    expect(() => parseEnv(env, cwd)).toThrow(message);
  });
});

describe('per-site time zones (issue #10)', () => {
  const live = { SONNYS_DATABASES: 'icon', SONNYS_ICON_API_ID: 'i', SONNYS_ICON_API_KEY: 'k' };

  it('reads SITE=Zone pairs per database, site codes in upper case', () => {
    const config = parseEnv({ ...live, SONNYS_ICON_SITE_TIMEZONES: 'kapolei=Pacific/Honolulu, DENVER = America/Denver' }, cwd);
    expect(config.siteTimezones).toEqual({ icon: { KAPOLEI: 'Pacific/Honolulu', DENVER: 'America/Denver' } });
    // Demo mode reads them for the demo's databases too.
    expect(parseEnv({ SONNYS_ICON_SITE_TIMEZONES: 'KAPOLEI=Pacific/Honolulu' }, cwd).siteTimezones).toEqual({ icon: { KAPOLEI: 'Pacific/Honolulu' } });
  });

  it('refuses a bad zone, a malformed pair, a repeated site or an unknown database in one sentence', () => {
    const message = (env: Record<string, string>) => {
      try {
        parseEnv(env, cwd);
        return '';
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
    };
    expect(message({ ...live, SONNYS_ICON_SITE_TIMEZONES: 'KAPOLEI=Hawaii/Somewhere' })).toBe(
      'Configuration error: SONNYS_ICON_SITE_TIMEZONES gives site KAPOLEI the zone "Hawaii/Somewhere", which is not an IANA time zone such as America/Chicago.',
    );
    expect(message({ ...live, SONNYS_ICON_SITE_TIMEZONES: 'KAPOLEI' })).toMatch(/must list SITE=Zone pairs/);
    expect(message({ ...live, SONNYS_ICON_SITE_TIMEZONES: 'A=UTC,a=UTC' })).toMatch(/lists site A twice/);
    expect(message({ ...live, SONNYS_WASHU_SITE_TIMEZONES: 'A=UTC' })).toBe(
      'Configuration error: SONNYS_WASHU_SITE_TIMEZONES names a database that SONNYS_DATABASES does not list.',
    );
  });
});
