/**
 * Backups on Postgres (issue 14): `npm run backup` takes a pg_dump snapshot with the same manifest
 * as SQLite's; a restore brings the database back to exactly the snapshot (after more writes and a
 * dropped table), and refuses a tampered snapshot or one of the other dialect before touching it.
 * A real server, the real pg_dump and pg_restore, and the CLIs spawned as an operator runs them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '@/db';
import { backupSubject, createBackup, createBackupOf, listBackups, restoreBackupInto, type BackupSource } from '@/db/backup';
import { tableCounts } from '@/db/copy';
import { redactDatabaseUrl } from '@/lib/env';
import { openTestDatabase } from '../../support/postgres';

/** The newest Postgres migration: what a backup of a freshly migrated database records. */
const LATEST_MIGRATION = (
  JSON.parse(fs.readFileSync(path.join('db', 'postgres', 'migrations', 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }
).entries.at(-1)!.tag;

const root = process.cwd();
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

describe('backups on Postgres', { timeout: 120_000 }, () => {
  let db: AppDatabase;
  let url: string;
  let cleanup: () => Promise<void>;
  let backupDir: string;
  let source: BackupSource;

  const audit = async () => (await db.sql.all<{ detail: string }>('SELECT detail FROM audit_log ORDER BY id')).map((r) => r.detail);
  const write = (detail: string) =>
    db.sql.run(`INSERT INTO audit_log (at, actor_email, action, detail) VALUES (?, 'command line', 'user-added', ?)`, [Date.now(), detail]);

  function cli(script: 'backup' | 'restore', args: string[] = []) {
    const result = spawnSync(tsx, [path.join(root, 'scripts', `${script}.ts`), ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: url, BACKUP_DIR: backupDir, SONNYS_DATABASES: '' },
      timeout: 90_000,
    });
    return { code: result.status, out: result.stdout.trim(), err: result.stderr.trim() };
  }

  beforeAll(async () => {
    ({ db, url, cleanup } = await openTestDatabase('postgres', 'backup'));
    backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-pg-backups-'));
    source = { dialect: 'postgres', url };
    await db.registerDatabases([{ key: 'washu', name: 'WashU', apiId: 'w', defaultTimezone: 'America/Chicago', isDemo: false }]);
    for (const detail of ['first', 'second']) await write(detail);
  });
  afterAll(async () => {
    await cleanup();
    fs.rmSync(backupDir, { recursive: true, force: true });
  });

  it('backs up with npm run backup, restores after more writes and a dropped table, and the data is the snapshot again', async () => {
    const before = await tableCounts(db);
    const backup = cli('backup');
    expect(backup.code, backup.err).toBe(0);
    expect(backup.out).toMatch(/\.dump$/);
    expect(backup.err).toMatch(new RegExp(`^Backed up [\\d.]+ MB in [\\d.]+ s: 0 transactions; schema ${LATEST_MIGRATION}\\.$`));
    const [entry] = listBackups(backupDir, backupSubject(source));
    expect(entry).toMatchObject({ good: true, snapshotPath: backup.out });
    expect(entry!.manifest).toMatchObject({ dialect: 'postgres', migration: { tag: LATEST_MIGRATION }, tables: { audit_log: 2, databases: 1 } });
    expect(entry!.manifest.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(entry!.manifest.source).toBe(redactDatabaseUrl(url));

    await write('after the backup');
    await db.sql.run('DELETE FROM databases');
    await db.sql.run('DROP TABLE audit_log');

    const restored = cli('restore', ['--from', backup.out]);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toMatch(/^Restored \S+\.dump \(taken \S+, 0 transactions\) into postgres:\/\//);
    expect(await audit()).toEqual(['first', 'second']);
    expect(await tableCounts(db)).toEqual(before);
    // Identity columns continue after the restored ids.
    await write('third');
    expect((await db.sql.get<{ id: number }>(`SELECT id FROM audit_log WHERE detail = 'third'`))!.id).toBe(3);
  });

  it('refuses a tampered snapshot, and a SQLite snapshot, before touching the database', async () => {
    const good = await createBackupOf(source, backupDir, new Date(Date.now() + 5_000));
    const tampered = path.join(backupDir, 'tampered.dump');
    fs.copyFileSync(good.snapshotPath, tampered);
    fs.copyFileSync(good.manifestPath, path.join(backupDir, 'tampered.manifest.json'));
    const bytes = fs.readFileSync(tampered);
    bytes[bytes.length - 10]! ^= 0xff;
    fs.writeFileSync(tampered, bytes);
    await write('after the good backup');
    await expect(restoreBackupInto(source, { from: tampered })).rejects.toThrow(
      `${tampered} does not match the SHA-256 checksum in its manifest: it was damaged or changed after the backup; nothing was restored.`,
    );

    const sqlite = await openTestDatabase('sqlite', 'backup_sqlite');
    try {
      const sqliteBackup = await createBackup({ databasePath: sqlite.url, backupDir: path.dirname(sqlite.url) });
      await expect(restoreBackupInto(source, { from: sqliteBackup.snapshotPath })).rejects.toThrow(
        `${sqliteBackup.snapshotPath} is a SQLite backup and DATABASE_URL names a Postgres database: restore it into SQLite, then use npm run db:copy to move it; nothing was restored.`,
      );
      await expect(restoreBackupInto({ dialect: 'sqlite', path: sqlite.url }, { from: good.snapshotPath })).rejects.toThrow(
        `${good.snapshotPath} is a Postgres backup and DATABASE_URL names a SQLite database: restore it into Postgres; nothing was restored.`,
      );
    } finally {
      await sqlite.cleanup();
    }
    expect((await audit()).at(-1)).toBe('after the good backup');
  });
});
