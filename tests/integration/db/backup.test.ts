/**
 * The archive is safe (issue 13): `npm run backup` while a sync writes, the database file destroyed,
 * `npm run restore`: the daily report is what it was, and syncing again loses nothing. A snapshot
 * that fails any check is refused and the live file is untouched; so is a restore under a running app.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteAppDatabase as AppDatabase } from '@/db';
import { createBackup, listBackups, restoreBackup } from '@/db/backup';
import { holdDatabase, holdersDir } from '@/db/holders';
import { parseEnv } from '@/lib/env';
import { dailyReportCsv } from '@/lib/reports';
import { addDays, toLocalDate } from '@/lib/calendar';
import { createSyncRuntime } from '@/lib/sync/runtime';
import { RATE, startHarness, type Harness } from '../sync/helpers';

const T0 = Date.parse('2026-03-10T18:00:00Z');
const MINUTE = 60_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Runs `npm run <script>` as the operator would, in a child process. */
function runScript(script: 'backup' | 'restore', args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
async function report(db: AppDatabase, from: string, to: string): Promise<string> {
  let csv = '';
  for await (const chunk of dailyReportCsv(db.reports, { from, to })) csv += chunk;
  return csv;
}
const count = (db: AppDatabase, sql: string) => db.sqlite.prepare(sql).pluck().get() as number;

/** One sentence: no stack trace, no SQL. */
const expectOneSentence = (text: string) => {
  expect(text.trim().split('\n')).toHaveLength(1);
  expect(text).not.toMatch(/\n\s+at |SELECT |Error:/);
};

describe('backup and restore', () => {
  it('backs up while a sync writes; after the file is destroyed, restore brings the report back and a sync loses nothing', async () => {
    // Two pages in flight at a time, so the sync below is still writing when the backup's process has started.
    h = await startHarness({ sim: { clock: { start: T0, frozen: true } }, sync: { concurrency: 2 } });
    const backupDir = path.join(h.dir, 'backups');
    const env = { DATABASE_URL: h.file, BACKUP_DIR: backupDir, SONNYS_RATE_LIMIT: `${RATE.limit}/${RATE.windowMs}ms`, SYNC_KPIS: 'off' };
    const today = toLocalDate(T0, 'America/Chicago');

    // History already in the archive: the last 3 days of both databases.
    const first = await Promise.all((await h.runtime.manager.triggerAll('cli')).map((r) => r.done));
    expect(first.map((o) => o.status)).toEqual(['succeeded', 'succeeded']);
    const history = await report(h.db, addDays(today, -2), today);
    expect(history.split('\r\n').length).toBeGreaterThan(10);
    const rowsBefore = count(h.db, 'SELECT count(*) FROM transactions');

    // A sync of older days is writing while `npm run backup` runs in another process.
    h.sim.setFaults({ responseLatencyMs: { min: 100, max: 150 } });
    const writing = await h.runtime.manager.trigger('washu', 'cli', { from: addDays(today, -20), to: addDays(today, -3) });
    await expect.poll(() => count(h!.db, 'SELECT count(*) FROM transactions'), { timeout: 30_000, interval: 20 }).toBeGreaterThan(rowsBefore);
    const backup = await runScript('backup', [], env);
    expect(backup.stderr).toMatch(/^Backed up [\d.]+ MB in [\d.]+ s: [\d,]+ transactions, synced icon to \d{4}-\d\d-\d\d, washu to \d{4}-\d\d-\d\d; schema \d{4}_\w+\.\n$/);
    expect(backup.code).toBe(0);
    const snapshot = backup.stdout.trim();
    expect(path.dirname(snapshot)).toBe(backupDir);
    expect(path.basename(snapshot)).toMatch(/^washboard-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.db$/);
    expect(h.runtime.manager.activeRun('washu')).toBeDefined(); // still writing when the backup ended
    expect((await writing.done).status).toBe('succeeded');
    h.sim.setFaults({});
    const rowsAfter = count(h.db, 'SELECT count(*) FROM transactions');
    const finalReport = await report(h.db, addDays(today, -20), today);

    // The snapshot caught the sync mid-way, consistently: the manifest's counts are the file's.
    const [entry] = listBackups(backupDir, h.file);
    expect(entry?.good).toBe(true);
    const manifest = entry!.manifest;
    expect(manifest.tables.transactions).toBeGreaterThan(rowsBefore);
    expect(manifest.tables.transactions).toBeLessThan(rowsAfter);
    expect(manifest.newestSyncedDay).toEqual({ icon: toLocalDate(T0, 'America/Denver'), washu: today });
    expect(manifest.migration?.tag).toMatch(/^\d{4}_/);
    expect(manifest.sha256).toBe(sha256(snapshot));

    // The accident: the database file is gone (the process that had it open has stopped).
    await h.runtime.close();
    h.db.sqlite.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(h.file + suffix, { force: true });

    const restore = await runScript('restore', ['--from', snapshot], env);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain(`Restored ${snapshot} (taken ${manifest.createdAt}, ${manifest.tables.transactions!.toLocaleString('en-US')} transactions) into ${h.file}.`);
    expect(restore.stdout).toContain('There was no database to replace.');

    const restored = openDatabase(h.file);
    try {
      expect(restored.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(count(restored, 'SELECT count(*) FROM transactions')).toBe(manifest.tables.transactions);
      // The history is exactly what the report said before the accident.
      expect(await report(restored, addDays(today, -2), today)).toBe(history);

      // And the sync that was cut off by the snapshot finishes: nothing older than the backup is lost.
      h.sim.clock.advance(MINUTE); // the snapshot holds the old run's lease; it has expired by now
      const runtime = await createSyncRuntime({ config: parseEnv(env), db: restored, simulator: h.sim, sync: { now: () => h!.sim.clock.now(), backfillDays: 3 } });
      const again = await (await runtime.manager.trigger('washu', 'cli', { from: addDays(today, -20), to: addDays(today, -3) })).done;
      await runtime.close();
      expect(again.status).toBe('succeeded');
      expect(await report(restored, addDays(today, -20), today)).toBe(finalReport);
    } finally {
      restored.sqlite.close();
    }
  });

  it('refuses a tampered snapshot, a damaged one, one without a manifest and one from an unknown schema, leaving the live file untouched', async () => {
    h = await startHarness({ sim: { clock: { start: T0, frozen: true } } });
    const backupDir = path.join(h.dir, 'backups');
    const env = { DATABASE_URL: h.file, BACKUP_DIR: backupDir };
    expect((await (await h.runtime.manager.trigger('washu', 'cli')).done).status).toBe('succeeded');
    const good = await createBackup({ databasePath: h.file, backupDir });
    await h.runtime.close();
    h.db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const live = sha256(h.file);
    const files = () => fs.readdirSync(h!.dir).sort();
    const before = files();

    const variant = (name: string, change: (file: string, manifest: Record<string, unknown>) => void) => {
      const file = path.join(backupDir, `${name}.db`);
      fs.copyFileSync(good.snapshotPath, file);
      const manifest = { ...(JSON.parse(fs.readFileSync(good.manifestPath, 'utf8')) as Record<string, unknown>), snapshot: `${name}.db` };
      change(file, manifest);
      fs.writeFileSync(path.join(backupDir, `${name}.manifest.json`), JSON.stringify(manifest));
      return file;
    };
    const flip = (file: string, at: number, count = 3) => {
      const bytes = fs.readFileSync(file);
      for (let i = 0; i < count; i++) bytes[at + i] = bytes[at + i]! ^ 0xff;
      fs.writeFileSync(file, bytes);
    };
    const refit = (file: string, manifest: Record<string, unknown>) => {
      manifest.sha256 = sha256(file);
      manifest.sizeBytes = fs.statSync(file).size;
    };

    const cases: [string, string, RegExp][] = [
      ['tampered', variant('tampered', (file) => flip(file, Math.floor(fs.statSync(file).size / 2))), /does not match the SHA-256 checksum in its manifest: it was damaged or changed after the backup; nothing was restored\.$/],
      [
        'damaged',
        // Page 2's b-tree header broken, and the manifest made to agree: only integrity_check can tell.
        variant('damaged', (file, manifest) => {
          flip(file, 4096, 8);
          refit(file, manifest);
        }),
        /fails SQLite's integrity check|is not a readable SQLite database/,
      ],
      [
        'newer',
        variant('newer', (file, manifest) => {
          const db = new Database(file);
          db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('f'.repeat(64), 4_102_444_800_000);
          db.close();
          refit(file, manifest);
          manifest.migration = { hash: 'f'.repeat(64), createdAt: 4_102_444_800_000, tag: '0099_from_the_future' };
        }),
        /was made by a version of Washboard whose schema \(0099_from_the_future\) this version does not know; restore it with that version; nothing was restored\.$/,
      ],
    ];
    fs.copyFileSync(good.snapshotPath, path.join(backupDir, 'orphan.db'));
    cases.push(['orphan', path.join(backupDir, 'orphan.db'), /has no manifest beside it \(orphan\.manifest\.json\), so it cannot be verified; nothing was restored\.$/]);

    for (const [name, file, message] of cases) {
      const result = await runScript('restore', ['--from', file], env);
      expect({ name, code: result.code }).toEqual({ name, code: 1 });
      expect(result.stderr.trim(), name).toMatch(message);
      expectOneSentence(result.stderr);
      expect(sha256(h.file), name).toBe(live);
      expect(files(), name).toEqual(before);
    }
  });

  it('refuses while the web server or a sync holds the database, ignores a dead holder, and goes ahead with --force', async () => {
    h = await startHarness({ sim: { clock: { start: T0, frozen: true } } });
    const backupDir = path.join(h.dir, 'backups');
    const env = { DATABASE_URL: h.file, BACKUP_DIR: backupDir };
    const good = await createBackup({ databasePath: h.file, backupDir });

    // A holder that crashed: a process of this host that has exited.
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => dead.on('exit', r));
    const ghost = holdDatabase(h.file, 'sync', `${(await import('node:os')).hostname()}:${dead.pid}:deadbeef`);
    const web = holdDatabase(h.file, 'web');
    try {
      expect(fs.readdirSync(holdersDir(h.file))).toHaveLength(2);
      const refused = await runScript('restore', ['--from', good.snapshotPath], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim()).toBe(
        `Washboard is using ${h.file} (the web server (process ${process.pid} on ${(await import('node:os')).hostname()})); stop it first, or pass --force if it is not running.`,
      );
      await expect(restoreBackup({ from: good.snapshotPath, databasePath: h.file })).rejects.toThrow(/^Washboard is using/);

      web.release();
      // Only the dead holder is left: not a reason to refuse.
      const replacedAt = new Date(Date.UTC(2026, 2, 11, 3));
      const restored = await restoreBackup({ from: good.manifestPath, databasePath: h.file, now: replacedAt });
      expect(restored.replacedPath).toBe(`${h.file}.replaced-2026-03-11T03-00-00.000Z`);
      expect(fs.existsSync(restored.replacedPath!)).toBe(true);
      // The WAL went with the file it belongs to (here folded into it): none is left beside the restored file.
      expect(fs.existsSync(`${h.file}-wal`)).toBe(false);
      expect(sha256(h.file)).toBe(good.manifest.sha256);

      const again = holdDatabase(h.file, 'web');
      const forced = await runScript('restore', ['--from', good.snapshotPath, '--force'], env);
      again.release();
      expect(forced.code).toBe(0);
      expect(forced.stdout).toContain('Restart Washboard now: the processes that had the database open still see the replaced file.');
    } finally {
      ghost.release();
      web.release();
    }
  });
});
