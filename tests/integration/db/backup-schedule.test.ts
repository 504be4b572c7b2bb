/**
 * The web server's periodic backup (BACKUP_INTERVAL_HOURS, here shrunk to a second) and the age of
 * the last good backup that /api/health reports.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '@/db';
import { createBackup, listBackups, startBackupSchedule } from '@/db/backup';

let dir: string;
let file: string;
let backupDir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-schedule-'));
  file = path.join(dir, 'washboard.db');
  backupDir = path.join(dir, 'backups');
  closeDb();
  process.env.DATABASE_URL = file;
  process.env.BACKUP_DIR = backupDir;
  getDb();
});
afterAll(() => {
  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('backup schedule', () => {
  it('backs up every interval, counted from the last good backup, until stopped; health reports its age', async () => {
    const { GET: health } = await import('@/app/api/health/route');
    expect(await (await health()).json()).toMatchObject({ ok: true, lastBackupAt: null, lastBackupAgeSeconds: null });

    // A backup taken a moment ago (by `npm run backup`): the schedule waits one interval from it.
    const manual = await createBackup({ databasePath: file, backupDir });
    const lines: string[] = [];
    const schedule = startBackupSchedule({ source: file, backupDir, intervalMs: 1_500, startDelayMs: 0, log: (l) => lines.push(l) });
    expect(schedule.nextAt).toBe(Date.parse(manual.manifest.createdAt) + 1_500);
    await expect.poll(() => lines.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    schedule.stop();
    expect(schedule.nextAt).toBeNull();
    const taken = lines.length;
    await new Promise((r) => setTimeout(r, 2_500));
    expect(lines.length).toBe(taken);
    // All within one UTC day: retention keeps only the newest of the day after each one.
    for (const line of lines) expect(line).toMatch(/^\[backup\] .+\/washboard-.+\.db \([\d.]+ MB in [\d.]+ s\); retention removed 1 older backup$/);
    expect(listBackups(backupDir, file)).toHaveLength(1);

    const body = (await (await health()).json()) as { lastBackupAt: string; lastBackupAgeSeconds: number };
    const newest = listBackups(backupDir, file)[0]!;
    expect(body.lastBackupAt).toBe(newest.manifest.createdAt);
    expect(body.lastBackupAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(body.lastBackupAgeSeconds).toBeLessThan(60);
  });

  it('says in one sentence when a backup fails, and tries again', async () => {
    const lines: string[] = [];
    const schedule = startBackupSchedule({ source: path.join(dir, 'missing.db'), backupDir, intervalMs: 1_000, startDelayMs: 0, log: (l) => lines.push(l) });
    await expect.poll(() => lines.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    schedule.stop();
    expect(lines[0]).toBe(`[backup] There is no database at ${path.join(dir, 'missing.db')} to back up. Trying again within the hour.`);
  });
});
