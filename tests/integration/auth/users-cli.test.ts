/**
 * `npm run users` end to end: spawned as an operator runs it (tsx, DATABASE_URL, the password on
 * standard input), against a fresh SQLite file with the real migrations.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db';
import { registerDatabases } from '@/db/registry';

let dir: string;
let file: string;
const root = process.cwd();
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

function users(args: string[], input = '') {
  const result = spawnSync(tsx, [path.join(root, 'scripts', 'users.ts'), ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: file, AUTH_SECRET: '', SONNYS_DATABASES: '' },
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout.trim(), err: result.stderr.trim() };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-cli-'));
  file = path.join(dir, 'washboard.db');
  const db = openDatabase(file);
  registerDatabases(db, [{ key: 'washu', name: 'WashU', apiId: 'w', defaultTimezone: 'America/Chicago', isDemo: false }]);
  db.sqlite.prepare("INSERT INTO sites (database_key, code, name, effective_timezone, first_seen_at, last_seen_at) VALUES ('washu', 'JOLIET', 'WashU Joliet', 'America/Chicago', 0, 0)").run();
  db.sqlite.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));


// Each command is a new process (tsx compiles the CLI on start): give every test room.
describe('npm run users', { timeout: 120_000 }, () => {
  it('says how to add the first owner when there is nobody', () => {
    expect(users(['list'])).toMatchObject({ code: 0, out: 'No users yet. Add the first owner with: npm run users -- add --email you@example.com --role owner' });
  });

  it('adds an owner and a manager of one site with the password from standard input', () => {
    expect(users(['add', '--email', 'Owner@Example.com', '--role', 'owner'], 'the boss password 1\n')).toMatchObject({
      code: 0,
      out: 'Added owner@example.com (owner). They can sign in now.',
    });
    expect(users(['add', '--email', 'jo@example.com', '--role', 'manager', '--sites', 'washu/JOLIET'], 'jo has a long password\n')).toMatchObject({
      code: 0,
      out: 'Added jo@example.com (manager of washu/JOLIET). They can sign in now.',
    });
    expect(users(['list']).out.split('\n')).toEqual(['jo@example.com\tManager\twashu/JOLIET', 'owner@example.com\tOwner\tall sites']);
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
    expect(users(['remove', '--email', 'owner@example.com'])).toMatchObject({
      code: 1,
      err: 'Washboard needs at least one owner: make someone else an owner first.',
    });
    expect(users(['remove', '--email', 'jo@example.com'])).toMatchObject({ code: 0, out: 'Removed jo@example.com; their sessions have ended.' });
    expect(users(['list']).out).toBe('owner@example.com\tOwner\tall sites');
  });

  it('records its changes in the audit log as the command line, with no password anywhere in its output', () => {
    const db = openDatabase(file);
    const rows = db.sqlite.prepare('SELECT actor_email AS who, action, detail FROM audit_log ORDER BY id').all();
    db.sqlite.close();
    expect(rows).toEqual([
      { who: 'command line', action: 'user-added', detail: 'Added owner@example.com as owner.' },
      { who: 'command line', action: 'user-added', detail: 'Added jo@example.com as manager of washu/JOLIET.' },
      { who: 'command line', action: 'password-set', detail: 'Set the password of jo@example.com.' },
      { who: 'command line', action: 'user-removed', detail: 'Removed jo@example.com.' },
    ]);
    expect(fs.statSync(path.join(dir, 'auth-secret')).mode & 0o777).toBe(0o600);
  });
});
