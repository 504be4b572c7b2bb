/**
 * The Postgres ingestor (db/postgres/ingest.ts) against SQLite's (db/sqlite/ingest.ts), the
 * reference: the same rows, late changes, flags and clock entries, applied through each, leave
 * every table equal row for row (rollups' `updated_at` aside: SQLite skips a day whose delta is
 * zero, Postgres rebuilds every touched day).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase, PostgresAppDatabase, SqliteAppDatabase } from '@/db';
import type { StoredClockEntry, StoredTransaction } from '@/db/sync-rows';
import { openTestDatabase } from '../../support/postgres';

let sqlite: SqliteAppDatabase;
let postgres: PostgresAppDatabase;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const a = await openTestDatabase('sqlite', 'ingest-sqlite');
  const b = await openTestDatabase('postgres', 'ingest-pg');
  cleanups.push(a.cleanup, b.cleanup);
  sqlite = a.db as SqliteAppDatabase;
  postgres = b.db as PostgresAppDatabase;
});
afterAll(async () => {
  for (const c of cleanups) await c();
});

/** A table's rows in key order, flags as 1/0 (SQLite has no booleans), without the columns given. */
async function table(db: AppDatabase, name: string, order: string, without: string[] = []): Promise<Record<string, unknown>[]> {
  const rows = await db.sql.all<Record<string, unknown>>(`SELECT * FROM ${name} ORDER BY ${order}`);
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).filter(([k]) => !without.includes(k)).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v])),
  );
}

async function expectSameTables(): Promise<void> {
  const tables: [string, string, string[]][] = [
    ['transactions', 'database_key, trans_id', []],
    ['daily_rollups', 'database_key, site_code, local_day', ['updated_at']],
    ['hourly_rollups', 'database_key, site_code, local_day, local_hour', []],
    ['clock_entries', 'database_key, employee_id, clock_in_unix', []],
    ['site_coverage', 'database_key, site_code, local_day', []],
    ['labor_coverage', 'database_key, local_day', []],
    ['sync_chunks', 'id', []],
  ];
  for (const [name, order, without] of tables) {
    const [a, b] = [await table(sqlite, name, order, without), await table(postgres, name, order, without)];
    expect({ name, rows: b }).toEqual({ name, rows: a });
  }
}

let seed = 11;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const DAYS = ['2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07'];
let n = 0;
const newRow = (): StoredTransaction => ({
  transId: `${++n}:1`,
  siteCode: pick(['JOLIET', 'MESA']),
  transNumber: n,
  occurredUnix: 1_767_000_000 + n,
  localDay: pick(DAYS),
  localHour: Math.floor(rand() * 24),
  totalCents: rand() < 0.1 ? 0 : rand() < 0.1 ? -500 : Math.floor(rand() * 3000),
  status: pick(['Completed', 'Completed', 'Completed', 'Voided', 'Suspended']),
  isPlanSale: rand() < 0.15,
  isPlanRedemption: rand() < 0.3,
  customerId: rand() < 0.5 ? `C${n}` : null,
  ...(rand() < 0.2 ? { isWash: rand() < 0.5 } : {}),
});
const entry = (employeeId: number, clockInUnix: number, localDay: string, over: Partial<StoredClockEntry> = {}): StoredClockEntry => ({
  employeeId, clockInUnix, siteCode: 'JOLIET', localDay, clockOutUnix: clockInUnix + 8 * 3600, regularHundredths: 800,
  overtimeHundredths: 0, regularRateCents: 1600, overtimeRateCents: 2400, costCents: 12_800, wasModified: false, ...over,
});

describe('the Postgres ingestor against SQLite', () => {
  it('leaves every table as SQLite does through inserts, late changes, voids, moves, flags and clock entries', async () => {
    const both = async (work: (db: AppDatabase) => unknown) => {
      await work(sqlite);
      await work(postgres);
    };
    const stored = new Map<string, StoredTransaction>();
    let now = 1_767_100_000_000;
    for (let batch = 0; batch < 30; batch++) {
      const rows: StoredTransaction[] = [];
      for (let i = 0; i < 40; i++) {
        const existing = stored.size && rand() < 0.4 ? pick([...stored.values()]) : undefined;
        // A stored row comes back changed: voided later, corrected, moved to another day or hour, or unchanged.
        const row: StoredTransaction = existing
          ? { ...existing, isWash: undefined, isNewMembership: undefined, ...pick<Partial<StoredTransaction>>([
              { status: 'Voided' }, { totalCents: existing.totalCents + 100 }, { localDay: pick(DAYS), localHour: Math.floor(rand() * 24) },
              { siteCode: existing.siteCode === 'JOLIET' ? 'MESA' : 'JOLIET' }, {},
            ]) }
          : newRow();
        rows.push(row);
        stored.set(row.transId, row);
      }
      // The same row twice in one page: the later wins.
      if (batch % 5 === 0) rows.push({ ...rows[0]!, totalCents: 4321 });
      now += 1000;
      const at = now;
      await both((db) => db.ingestor.upsert('washu', rows, at));
      if (batch % 3 === 0) {
        const flags = [...stored.values()].filter(() => rand() < 0.2).map((r) => ({
          transId: r.transId, isWash: rand() < 0.7, ...(r.isPlanSale ? { isNewMembership: rand() < 0.6 } : {}),
        }));
        flags.push({ transId: 'not-stored:1', isWash: true });
        const changed = [0, 0];
        changed[0] = sqlite.ingestor.setFlags('washu', flags, at);
        changed[1] = await postgres.ingestor.setFlags('washu', flags, at);
        expect(changed[1]).toBe(changed[0]);
      }
    }
    await expectSameTables();

    now += 1000;
    const listedAt = now;
    const marked = [sqlite.ingestor.markUnlistedAsNotWashes('washu', 'JOLIET', '2026-01-05', '2026-01-06', listedAt, listedAt)];
    marked.push(await postgres.ingestor.markUnlistedAsNotWashes('washu', 'JOLIET', '2026-01-05', '2026-01-06', listedAt, listedAt));
    expect(marked[1]).toBe(marked[0]);
    expect(marked[0]).toBeGreaterThan(0);

    // Clock entries: an open shift, an entry that moves day and site, one deleted in BackOffice, one on the window's edge.
    const window = { fromDay: '2026-01-04', toDay: '2026-01-07' };
    const steps: [number, StoredClockEntry[]][] = [
      [101, [entry(101, 1000, '2026-01-05'), entry(101, 2000, '2026-01-06', { clockOutUnix: null, regularHundredths: 350, costCents: 5600 }), entry(101, 500, '2026-01-04')]],
      [102, [entry(102, 3000, '2026-01-05', { overtimeHundredths: 125, costCents: 15_800 }), entry(102, 4000, '2026-01-08')]],
      [101, [entry(101, 2000, '2026-01-06', { regularHundredths: 900, overtimeHundredths: 50, costCents: 15_600, siteCode: 'MESA' })]],
      [102, []],
    ];
    for (const [employeeId, entries] of steps) {
      now += 1000;
      const at = now;
      await both((db) => db.ingestor.upsertClockEntries('washu', employeeId, entries, window, at));
    }
    await expectSameTables();

    // A recompute changes nothing the deltas did not already say.
    await both((db) => db.ingestor.recompute('washu', 'JOLIET', DAYS, now));
    await both((db) => db.ingestor.recompute('washu', 'MESA', DAYS, now));
    await expectSameTables();

    // Deletion cases: every row of a day moves away (its rollup stays, at zero; its hours go).
    const day5 = [...stored.values()].filter((r) => r.siteCode === 'MESA' && r.localDay === '2026-01-05').map((r) => ({ ...r, localDay: '2026-01-09', isWash: undefined, isNewMembership: undefined }));
    expect(day5.length).toBeGreaterThan(0);
    await both((db) => db.ingestor.upsert('washu', day5, now + 1));
    await expectSameTables();
    const zero = await postgres.sql.get<{ transactions: number }>("SELECT transactions FROM daily_rollups WHERE site_code = 'MESA' AND local_day = '2026-01-05'");
    expect(zero).toEqual({ transactions: 0 });
  });

  it('commits a page with its cursor and its coverage, as SQLite does', async () => {
    const chunkIds: number[][] = [];
    for (const db of [sqlite, postgres] as AppDatabase[]) {
      const run = await db.syncStore.startRun({ databaseKey: 'washu', trigger: 'cli', owner: 'test:1:a', now: 1, leaseUntil: 10_000_000_000_000, priority: 'background' });
      await db.syncStore.addChunks('washu', run.runId, [
        { kind: 'transactions', siteCode: 'JOLIET', fromDay: '2026-01-05', toDay: '2026-01-06', startUnix: 1, endUnix: 2, estimatedPages: 2 },
        { kind: 'labor', siteCode: '', fromDay: '2026-01-04', toDay: '2026-01-07', startUnix: 1, endUnix: 2, estimatedPages: 1 },
        { kind: 'washes', siteCode: 'JOLIET', fromDay: '2026-01-05', toDay: '2026-01-06', startUnix: 1, endUnix: 2, estimatedPages: 1 },
      ], 0);
      chunkIds.push((await db.syncStore.listChunks(run.runId)).map((c) => c.id));
    }
    expect(chunkIds[1]).toEqual(chunkIds[0]);
    const [sales, labor, washes] = chunkIds[0]!;
    const pages = [
      { databaseKey: 'washu', at: 2_000_000_000_000, transactions: [newRow(), newRow(), { ...newRow(), siteCode: 'JOLIET', localDay: '2026-01-05' }], cursor: { chunkId: sales!, next: 2, rows: 3, fetchedAt: 1_999_999_999_000 } },
      {
        databaseKey: 'washu', at: 2_000_000_001_000, transactions: [newRow()], cursor: { chunkId: sales!, next: 3, rows: 1, fetchedAt: 1_999_999_999_500 },
        complete: { kind: 'transactions' as const, chunkId: sales!, siteCode: 'JOLIET', days: ['2026-01-05', '2026-01-06'], timeZone: 'America/Chicago', syncedAt: 2_000_000_001_000 },
      },
      {
        databaseKey: 'washu', at: 2_000_000_002_000, clockEntries: { employeeId: 103, entries: [entry(103, 7000, '2026-01-06')], window: { fromDay: '2026-01-04', toDay: '2026-01-07' } },
        cursor: { chunkId: labor!, next: 104, rows: 1, fetchedAt: 2_000_000_002_000 },
        complete: { kind: 'labor' as const, chunkId: labor!, fromDay: '2026-01-04', toDay: '2026-01-07', syncedAt: 2_000_000_002_000 },
      },
      {
        databaseKey: 'washu', at: 2_000_000_003_000, flags: [{ transId: '1:1', isWash: true }],
        complete: { kind: 'washes' as const, chunkId: washes!, siteCode: 'JOLIET', fromDay: '2026-01-05', toDay: '2026-01-06', listedAt: 2_000_000_003_000 },
      },
    ];
    for (const page of pages) {
      await sqlite.ingestor.ingestPage(page);
      await postgres.ingestor.ingestPage(page);
    }
    await expectSameTables();
    const covered = await postgres.sql.all<{ labor: number | null }>("SELECT labor_synced_at AS labor FROM site_coverage WHERE site_code = 'JOLIET' ORDER BY local_day");
    expect(covered).toEqual([{ labor: 2_000_000_002_000 }, { labor: 2_000_000_002_000 }]);
  });

  it('rolls back all of a page when part of it fails', async () => {
    const before = await table(postgres, 'transactions', 'trans_id');
    const page = { databaseKey: 'washu', at: 3_000_000_000_000, transactions: [newRow()], cursor: { chunkId: 1, next: 9, rows: 1, fetchedAt: 1 } };
    // A clock entry without a site violates NOT NULL: the page's rows and cursor must not stay.
    const broken = { ...page, clockEntries: { employeeId: 1, entries: [{ ...entry(1, 1, '2026-01-05'), siteCode: null as unknown as string }], window: { fromDay: '2026-01-04', toDay: '2026-01-06' } } };
    await expect(postgres.ingestor.ingestPage(broken)).rejects.toThrow();
    expect(await table(postgres, 'transactions', 'trans_id')).toEqual(before);
    expect(await postgres.sql.get('SELECT next_page AS "nextPage" FROM sync_chunks WHERE id = 1')).not.toEqual({ nextPage: 9 });
  });
});
