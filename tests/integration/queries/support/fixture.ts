/**
 * A small, fully known world for report tests: two databases, sites in two time zones (one code
 * shared by both databases, one removed, one with a name that looks like a formula), and a few
 * hundred pseudo-random transactions ingested through the real ingestor. Tests compute what they
 * expect from `fixture.rows` in plain JavaScript, independently of the SQL under test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type SqliteAppDatabase as AppDatabase } from '@/db';
import { registerDatabases } from '@/db/registry';
import { zoneOffsetMs } from '@/lib/calendar';
import { createIngestor, type StoredTransaction } from '@/db/sqlite/ingest';

export interface FixtureSite {
  databaseKey: string;
  code: string;
  name: string;
  timeZone: string;
  removed?: boolean;
}

export const SITES: FixtureSite[] = [
  { databaseKey: 'washu', code: 'JOL', name: 'Joliet', timeZone: 'America/Chicago' },
  { databaseKey: 'washu', code: 'PLN', name: '=Plainfield, "North"', timeZone: 'America/Chicago' },
  { databaseKey: 'icon', code: 'JOL', name: 'Jolly Icon', timeZone: 'America/New_York' },
  { databaseKey: 'icon', code: 'OLD', name: 'Closed site', timeZone: 'America/New_York', removed: true },
];

export interface FixtureRow extends StoredTransaction {
  databaseKey: string;
}

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A transaction at a local wall-clock time (day, hour, minute) of a site. */
export function makeRow(
  site: FixtureSite,
  localDay: string,
  localHour: number,
  minute: number,
  over: Partial<StoredTransaction> & { transId: string },
): FixtureRow {
  return {
    databaseKey: site.databaseKey,
    siteCode: site.code,
    transNumber: null,
    occurredUnix: wallClockToUnix(localDay, localHour, minute, site.timeZone),
    localDay,
    localHour,
    totalCents: 1000,
    status: 'Completed',
    isPlanSale: false,
    isPlanRedemption: false,
    customerId: null,
    ...over,
  };
}

/** The instant a zone's clock reads `day hour:minute` (the later reading if it happens twice). */
function wallClockToUnix(day: string, hour: number, minute: number, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  return (wall - zoneOffsetMs(wall - zoneOffsetMs(wall, timeZone), timeZone)) / 1000;
}

export interface Fixture {
  dir: string;
  file: string;
  db: AppDatabase;
  rows: FixtureRow[];
  close(): void;
}

/** Days with data: 2026-09-20 .. 2026-11-22 (both periods of a 30-day range ending 2026-11-22). */
export function createFixture(): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-reports-'));
  const file = path.join(dir, 'w.db');
  const db = openDatabase(file);
  const now = Date.UTC(2026, 10, 22, 18);
  registerDatabases(
    db,
    [
      { key: 'washu', name: 'WashU', apiId: 'w', defaultTimezone: 'America/Chicago', isDemo: false },
      { key: 'icon', name: 'Icon', apiId: 'i', defaultTimezone: 'America/New_York', isDemo: false },
    ],
    now,
  );
  // WashU registered first: its zone is the reporting zone.
  db.sqlite.prepare("UPDATE databases SET created_at = created_at + 1 WHERE key = 'icon'").run();
  const insertSite = db.sqlite.prepare(
    `INSERT INTO sites (database_key, code, site_id, name, timezone, effective_timezone, first_seen_at, last_seen_at, removed_at)
     VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
  );
  for (const s of SITES) insertSite.run(s.databaseKey, s.code, s.name, s.timeZone, s.timeZone, now, now, s.removed ? now : null);

  const rand = random(42);
  const rows: FixtureRow[] = [];
  let id = 0;
  const statuses = ['Completed', 'Completed', 'Completed', 'Completed', 'Completed', 'Completed', 'Voided', 'Suspended'];
  for (let dayMs = Date.UTC(2026, 8, 20); dayMs <= Date.UTC(2026, 10, 22); dayMs += 86_400_000) {
    const day = new Date(dayMs).toISOString().slice(0, 10);
    for (const site of SITES) {
      if (site.removed && day > '2026-10-05') continue; // the closed site stopped reporting
      if (site.code === 'PLN' && day === '2026-11-10') continue; // a day without rows
      const count = 1 + Math.floor(rand() * 6);
      for (let i = 0; i < count; i++) {
        const kind = rand();
        const status = statuses[Math.floor(rand() * statuses.length)]!;
        const isPlanRedemption = kind < 0.15;
        const isPlanSale = !isPlanRedemption && kind < 0.3;
        const refund = !isPlanRedemption && kind > 0.95;
        const totalCents = (refund ? -1 : 1) * (99 + Math.floor(rand() * 4000));
        id++;
        rows.push(
          makeRow(site, day, 6 + Math.floor(rand() * 14), Math.floor(rand() * 60), {
            transId: `${site.databaseKey}-${site.code}-${id}`,
            transNumber: id,
            totalCents,
            status,
            isPlanSale,
            isPlanRedemption,
            customerId: rand() < 0.5 ? `C${id}` : null,
          }),
        );
      }
    }
  }
  const ingest = createIngestor(db.sqlite);
  for (const key of ['washu', 'icon']) ingest.upsert(key, rows.filter((r) => r.databaseKey === key), now);

  return {
    dir,
    file,
    db,
    rows,
    close() {
      db.sqlite.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** FACTS §0 figures computed in plain JavaScript from fixture rows. */
export function expectedTotals(rows: readonly FixtureRow[]) {
  const completed = rows.filter((r) => r.status === 'Completed');
  const sales = completed.filter((r) => !r.isPlanRedemption);
  const revenueCents = sales.reduce((s, r) => s + r.totalCents, 0);
  const membership = completed.filter((r) => r.isPlanSale && !r.isPlanRedemption);
  return {
    transactions: completed.length,
    revenueCents,
    salesCount: sales.length,
    membershipSales: membership.length,
    membershipSalesCents: membership.reduce((s, r) => s + r.totalCents, 0),
    redemptions: completed.filter((r) => r.isPlanRedemption).length,
    voided: rows.filter((r) => r.status === 'Voided').length,
    otherStatus: rows.filter((r) => r.status !== 'Completed' && r.status !== 'Voided').length,
  };
}

export const inRange = (from: string, to: string) => (r: FixtureRow) => r.localDay >= from && r.localDay <= to;
