/**
 * Tiered retention on real files: a simulated year of daily backups (the web server's schedule)
 * leaves exactly the 7 daily, 4 weekly and 12 monthly ones; nothing ever takes the only good copy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db';
import { backupBaseName, createBackup, listBackups, pruneBackups, type BackupResult } from '@/db/backup';
import { writeManifest } from '@/db/backup/manifest';

const DAY = 86_400_000;
let dir: string;
let file: string;
let backupDir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-retention-'));
  file = path.join(dir, 'washboard.db');
  backupDir = path.join(dir, 'backups');
  openDatabase(file).sqlite.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const keptDays = () => listBackups(backupDir, file).map((b) => b.manifest.createdAt.slice(0, 10)).sort();

describe('retention', () => {
  it('keeps the right files over a simulated year of daily backups', async () => {
    const start = Date.UTC(2026, 0, 1, 3); // 03:00 UTC every day of 2026
    // A real backup on the 1st of each month; the days between get a copy of the latest one under their own
    // name and time, as createBackup would write them (a worker thread per backup would make this
    // test take minutes on a busy machine; the snapshot itself is tested in backup.test.ts).
    // (Retention may delete the real one later: the copies come from a private copy of it.)
    let template: { file: string; manifest: BackupResult['manifest'] } | undefined;
    const backupAt = async (now: number): Promise<BackupResult> => {
      if (!template || new Date(now).getUTCDate() === 1) {
        const real = await createBackup({ databasePath: file, backupDir, now: new Date(now) });
        template = { file: path.join(dir, 'template.db'), manifest: real.manifest };
        fs.copyFileSync(real.snapshotPath, template.file);
        return real;
      }
      const base = backupBaseName(file, new Date(now));
      const snapshotPath = path.join(backupDir, `${base}.db`);
      const manifestPath = path.join(backupDir, `${base}.manifest.json`);
      fs.copyFileSync(template.file, snapshotPath);
      const manifest = { ...template.manifest, createdAt: new Date(now).toISOString(), snapshot: path.basename(snapshotPath) };
      writeManifest(manifestPath, manifest);
      return { snapshotPath, manifestPath, manifest, copySeconds: 0 };
    };
    for (let day = 0; day < 365; day++) {
      const now = start + day * DAY;
      const backup = await backupAt(now);
      const pruned = pruneBackups(backupDir, file, { now });
      // Never more than the three tiers hold, and the backup just taken is always kept.
      expect(pruned.kept.length).toBeLessThanOrEqual(7 + 4 + 12);
      expect(pruned.kept.map((b) => b.snapshotPath)).toContain(backup.snapshotPath);
    }
    expect(keptDays()).toEqual([
      // monthly: each month's last backup (December's is the newest)
      '2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30',
      '2026-07-31', '2026-08-31', '2026-09-30', '2026-10-31', '2026-11-30',
      // weekly: the Sundays ending the 3 weeks before this one (this week's newest is Dec 31)
      '2026-12-13', '2026-12-20',
      // daily: the last 7 days (Dec 27 is also a week's last)
      '2026-12-25', '2026-12-26', '2026-12-27', '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31',
    ]);
    // Each kept backup is whole (snapshot and manifest), and nothing else is left in the folder.
    const entries = listBackups(backupDir, file);
    expect(entries.every((b) => b.good)).toBe(true);
    expect(fs.readdirSync(backupDir).sort()).toEqual(entries.flatMap((b) => [path.basename(b.snapshotPath), path.basename(b.manifestPath)]).sort());
  });

  it('never deletes the only good copy, leaves damaged backups for a person, and clears abandoned partial snapshots', async () => {
    const old = await createBackup({ databasePath: file, backupDir, now: new Date(Date.UTC(2024, 0, 1)) });
    // Newer backups that are not good: their snapshots were truncated.
    for (const month of [3, 6, 9]) {
      const bad = await createBackup({ databasePath: file, backupDir, now: new Date(Date.UTC(2025, month, 1)) });
      fs.truncateSync(bad.snapshotPath, 1024);
    }
    const now = Date.UTC(2026, 0, 1);
    const abandoned = path.join(backupDir, 'washboard-2025-12-31T00-00-00.000Z.db.partial');
    const inProgress = path.join(backupDir, 'washboard-2026-01-01T00-00-00.000Z.db.partial');
    fs.writeFileSync(abandoned, 'x');
    fs.utimesSync(abandoned, new Date(now - 2 * 3_600_000), new Date(now - 2 * 3_600_000));
    fs.writeFileSync(inProgress, 'x');
    fs.utimesSync(inProgress, new Date(now - 60_000), new Date(now - 60_000));

    const pruned = pruneBackups(backupDir, file, { now });
    expect(pruned.removed).toEqual([]);
    expect(pruned.kept.map((b) => b.snapshotPath)).toEqual([old.snapshotPath]);
    expect(pruned.partials).toEqual([abandoned]);
    expect(fs.existsSync(old.snapshotPath)).toBe(true);
    expect(listBackups(backupDir, file).filter((b) => !b.good)).toHaveLength(3);
    expect(fs.existsSync(inProgress)).toBe(true);
  });

  it('leaves the backups of another database in the same folder alone', async () => {
    const other = path.join(dir, 'other.db');
    openDatabase(other).sqlite.close();
    // Four backups of each on one day: retention keeps one of ours, all of the other's.
    for (let hour = 0; hour < 4; hour++) await createBackup({ databasePath: other, backupDir, now: new Date(Date.UTC(2026, 0, 1, hour)) });
    for (let hour = 0; hour < 4; hour++) await createBackup({ databasePath: file, backupDir, now: new Date(Date.UTC(2026, 0, 1, hour)) });
    pruneBackups(backupDir, file, { now: Date.UTC(2026, 0, 2) });
    expect(listBackups(backupDir, other)).toHaveLength(4);
    expect(listBackups(backupDir, file).map((b) => b.manifest.createdAt)).toEqual(['2026-01-01T03:00:00.000Z']);
  });
});
