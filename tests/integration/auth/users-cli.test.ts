/**
 * `npm run users` end to end: spawned as an operator runs it (tsx, DATABASE_URL, the password on
 * standard input), against a fresh database of each dialect with the real migrations.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '@/db';
import { DIALECTS, openTestDatabase } from '../../support/postgres';

const root = process.cwd();
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

// Each command is a new process (tsx compiles the CLI on start): give every test room.
describe.each(DIALECTS)('npm run users on %s', { timeout: 120_000 }, (dialect) => {
let dir: string;
let url: string;
let db: AppDatabase;
let cleanup: () => Promise<void>;

function users(args: string[], input = '') {
  const result = spawnSync(tsx, [path.join(root, 'scripts', 'users.ts'), ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    // BACKUP_DIR: on Postgres the default folder would be beside the default SQLite file.
    env: { ...process.env, DATABASE_URL: url, AUTH_SECRET: '', SONNYS_DATABASES: '', BACKUP_DIR: path.join(dir, 'backups') },
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout.trim(), err: result.stderr.trim() };
}

beforeAll(async () => {
  const opened = await openTestDatabase(dialect, 'users_cli');
  ({ db, url, cleanup } = opened);
  dir = dialect === 'sqlite' ? path.dirname(url) : fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-cli-'));
  await db.registerDatabases([{ key: 'washu', name: 'WashU', apiId: 'w', defaultTimezone: 'America/Chicago', isDemo: false }]);
  await db.sql.run("INSERT INTO sites (database_key, code, name, effective_timezone, first_seen_at, last_seen_at) VALUES ('washu', 'JOLIET', 'WashU Joliet', 'America/Chicago', 0, 0)");
});
afterAll(async () => {
  await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

  const jo = { args: ['--role', 'manager', '--sites', 'washu/JOLIET'], access: 'manager of washu/JOLIET', line: 'jo@example.com\tManager\twashu/JOLIET' };

  it('says how to add the first owner when there is nobody', () => {
    expect(users(['list'])).toMatchObject({ code: 0, out: 'No users yet. Add the first owner with: npm run users -- add --email you@example.com --role owner' });
  });

  it('adds an owner and a manager of one site with the password from standard input', () => {
    expect(users(['add', '--email', 'Owner@Example.com', '--role', 'owner'], 'the boss password 1\n')).toMatchObject({
      code: 0,
      out: 'Added owner@example.com (owner). They can sign in now.',
    });
    expect(users(['add', '--email', 'jo@example.com', ...jo.args], 'jo has a long password\n')).toMatchObject({
      code: 0,
      out: `Added jo@example.com (${jo.access}). They can sign in now.`,
    });
    expect(users(['list']).out.split('\n')).toEqual([jo.line, 'owner@example.com\tOwner\tall sites']);
  });

  it('refuses with one sentence: unknown site or database, bad role, weak or short password, duplicate email', () => {
    const cases: [string[], string, string][] = [
      [['add', '--email', 'x@example.com', '--role', 'manager', '--sites', 'washu/NOPE'], 'long enough password', 'WashU has no site "NOPE" (known: JOLIET).'],
      [['add', '--email', 'x@example.com', '--role', 'manager', '--sites', 'icon/DENVER'], 'long enough password', 'There is no database "icon" (known: washu).'],
      [['add', '--email', 'x@example.com', '--role', 'manager', '--sites', 'JOLIET'], 'long enough password', '"JOLIET" is not a site: write database/SITE, for example washu/JOLIET.'],
      [['add', '--email', 'x@example.com', '--role', 'manager'], 'long enough password', 'A manager needs at least one site, for example --sites washu/JOLIET.'],
      [['add', '--email', 'x@example.com', '--role', 'boss'], 'long enough password', '"boss" is not a role: use owner, manager or viewer.'],
      [['add', '--email', 'x@example.com', '--role', 'viewer', '--sites', 'washu/JOLIET'], 'short', 'The password is too short: use at least 10 characters.'],
      [['add', '--email', 'x@example.com', '--role', 'viewer', '--sites', 'washu/JOLIET'], 'aaaaaaaaaaaaaa', 'The password is too weak: use at least 4 different characters.'],
      [['add', '--email', 'jo@example.com', '--role', 'viewer', '--sites', 'washu/JOLIET'], 'long enough password', 'There is already a user with the email jo@example.com.'],
      [['add', '--email', 'JO@example.com', '--role', 'owner'], 'long enough password', 'There is already a user with the email jo@example.com.'],
      [['add', '--email', 'not-an-email', '--role', 'owner'], 'long enough password', 'Enter a valid email address, such as name@example.com.'],
      [['add', '--email', 'x@example.com', '--role', 'owner'], '', 'No password on standard input: pipe one in, or run the command in a terminal to be asked.'],
      [['remove', '--email', 'nobody@example.com'], '', 'There is no user with the email nobody@example.com.'],
    ];
    for (const [args, input, sentence] of cases) {
      const result = users(args, input);
      expect(result.code, sentence).toBe(1);
      expect(result.err).toBe(sentence);
      expect(result.out).toBe('');
    }
    expect(users(['add', '--email'], '').code).toBe(2);
    expect(users(['frobnicate']).err).toMatch(/^"frobnicate" is not a users command\.\nUsage:/);
    // Thirteen processes, each starting tsx: seconds apiece on a busy 2-core machine.
  }, 300_000);

  it('sets a password and removes a user, but never the last owner', () => {
    expect(users(['set-password', '--email', 'jo@example.com'], 'a brand new password\n')).toMatchObject({
      code: 0,
      out: 'Password set for jo@example.com; their other sessions have ended.',
    });
    expect(users(['remove', '--email', 'jo@example.com'])).toMatchObject({ code: 0, out: 'Removed jo@example.com; their sessions have ended.' });
    expect(users(['remove', '--email', 'owner@example.com'])).toMatchObject({
      code: 1,
      err: 'Washboard needs at least one owner: make someone else an owner first.',
    });
    expect(users(['list']).out).toBe('owner@example.com\tOwner\tall sites');
  });

  it('records its changes in the audit log as the command line, with no password anywhere in its output', async () => {
    const rows = await db.sql.all('SELECT actor_email AS who, action, detail FROM audit_log ORDER BY id');
    expect(rows).toEqual([
      { who: 'command line', action: 'user-added', detail: 'Added owner@example.com as owner.' },
      { who: 'command line', action: 'user-added', detail: `Added jo@example.com as ${jo.access}.` },
      { who: 'command line', action: 'password-set', detail: 'Set the password of jo@example.com.' },
      { who: 'command line', action: 'user-removed', detail: 'Removed jo@example.com.' },
    ]);
    if (dialect === 'sqlite') expect(fs.statSync(path.join(dir, 'auth-secret')).mode & 0o777).toBe(0o600);
    // On Postgres the secret is in the database, where the web servers find it, and no file is written.
    else expect(await db.sql.get("SELECT 1 AS one FROM app_state WHERE key = 'auth_secret'")).toEqual({ one: 1 });
  });
});
