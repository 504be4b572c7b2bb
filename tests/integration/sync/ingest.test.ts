import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppDatabase } from '@/db';
import type { StoredTransaction } from '@/db/sync-rows';
import { DIALECTS, openTestDatabase } from '../../support/postgres';
import { scalar } from './helpers';

describe.each(DIALECTS)('on %s', (dialect) => {
let db: AppDatabase;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ db, cleanup } = await openTestDatabase(dialect, 'ingest'));
});
afterEach(async () => {
  await cleanup();
});

let n = 0;
const tx = (over: Partial<StoredTransaction>): StoredTransaction => ({
  transId: `${++n}:1`,
  siteCode: 'JOLIET',
  transNumber: n,
  occurredUnix: 1_767_000_000 + n,
  localDay: '2026-01-05',
  localHour: 9,
  totalCents: 1000,
  status: 'Completed',
  isPlanSale: false,
  isPlanRedemption: false,
  customerId: null,
  ...over,
});

const rollup = (site: string, day: string) =>
  db.sql.get<Record<string, number>>('select * from daily_rollups where database_key = ? and site_code = ? and local_day = ?', ['washu', site, day]);

describe('ingestor', () => {
  it('rolls up a day under our definitions of transactions and revenue', async () => {
    const ingest = db.ingestor;
    await ingest.upsert('washu', [
      tx({ totalCents: 1500 }),
      tx({ totalCents: 2599, isPlanSale: true }),
      tx({ totalCents: 1800, isPlanRedemption: true }), // list value, not money taken
      tx({ totalCents: -500 }), // refund
      tx({ totalCents: 900, status: 'Voided' }),
      tx({ totalCents: 700, status: 'Suspended' }),
      tx({ totalCents: 1200, localDay: '2026-01-06' }),
    ]);
    expect(await rollup('JOLIET', '2026-01-05')).toMatchObject({
      transactions: 4,
      revenue_cents: 1500 + 2599 - 500,
      sales_count: 3,
      membership_sales: 1,
      membership_sales_cents: 2599,
      redemptions: 1,
      redemption_value_cents: 1800,
      refunds: 1,
      refunds_cents: -500,
      voided: 1,
      other_status: 1,
    });
    expect(await rollup('JOLIET', '2026-01-06')).toMatchObject({ transactions: 1, revenue_cents: 1200 });
    const hours = await db.sql.all('select local_day, local_hour, transactions, revenue_cents from hourly_rollups order by local_day, local_hour');
    expect(hours).toEqual([
      { local_day: '2026-01-05', local_hour: 9, transactions: 4, revenue_cents: 1500 + 2599 - 500 },
      { local_day: '2026-01-06', local_hour: 9, transactions: 1, revenue_cents: 1200 },
    ]);
  });

  it('applies a later status change to the row and its rollup', async () => {
    const ingest = db.ingestor;
    const sale = tx({ totalCents: 1500 });
    await ingest.upsert('washu', [sale, tx({ totalCents: 1000 })]);
    expect(await rollup('JOLIET', '2026-01-05')).toMatchObject({ transactions: 2, revenue_cents: 2500, voided: 0 });
    await ingest.upsert('washu', [{ ...sale, status: 'Voided' }]);
    expect(await rollup('JOLIET', '2026-01-05')).toMatchObject({ transactions: 1, revenue_cents: 1000, voided: 1 });
    expect(await scalar(db, 'select count(*) from transactions')).toBe(2);
  });

  it('recomputes the old day when a row moves to another day', async () => {
    const ingest = db.ingestor;
    const sale = tx({ totalCents: 1500 });
    await ingest.upsert('washu', [sale]);
    await ingest.upsert('washu', [{ ...sale, localDay: '2026-01-04' }]);
    expect(await rollup('JOLIET', '2026-01-05')).toMatchObject({ transactions: 0, revenue_cents: 0 });
    expect(await rollup('JOLIET', '2026-01-04')).toMatchObject({ transactions: 1, revenue_cents: 1500 });
    expect(await scalar(db, "select count(*) from hourly_rollups where local_day = '2026-01-05'")).toBe(0);
  });

  it('writes nothing when a batch fails halfway', async () => {
    const ingest = db.ingestor;
    const bad = { ...tx({}), status: null } as unknown as StoredTransaction;
    await expect((async () => ingest.upsert('washu', [tx({}), bad]))()).rejects.toThrow();
    expect(await scalar(db, 'select count(*) from transactions')).toBe(0);
    expect(await scalar(db, 'select count(*) from daily_rollups')).toBe(0);
  });

  it('keeps rollups equal to a full recompute through random inserts, voids, corrections and moves', async () => {
    const ingest = db.ingestor;
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const stored = new Map<string, StoredTransaction>();
    for (let batch = 0; batch < 60; batch++) {
      const rows: StoredTransaction[] = [];
      for (let i = 0; i < 25; i++) {
        const existing = stored.size && rand() < 0.4 ? pick([...stored.values()]) : undefined;
        const row: StoredTransaction = {
          ...(existing ?? tx({})),
          siteCode: existing && rand() < 0.8 ? existing.siteCode : pick(['JOLIET', 'MESA']),
          localDay: existing && rand() < 0.8 ? existing.localDay : pick(['2026-01-05', '2026-01-06', '2026-01-07']),
          localHour: Math.floor(rand() * 24),
          totalCents: Math.floor(rand() * 5000) - 1000,
          status: pick(['Completed', 'Completed', 'Completed', 'Voided', 'Suspended', 'SomethingNew']),
          isPlanSale: rand() < 0.1,
          isPlanRedemption: rand() < 0.3,
        };
        rows.push(row);
        stored.set(row.transId, row);
      }
      await ingest.upsert('washu', rows);
    }
    type Daily = { transactions: number; voided: number; other_status: number; updated_at: number };
    const snapshot = async () => ({
      daily: (await db.sql.all<Daily>('SELECT * FROM daily_rollups ORDER BY 1, 2, 3')).map((r) => ({ ...r, updated_at: 0 })),
      hourly: await db.sql.all('SELECT * FROM hourly_rollups ORDER BY 1, 2, 3, 4'),
    });
    const incremental = await snapshot();
    for (const site of ['JOLIET', 'MESA']) await ingest.recompute('washu', site, ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-04']);
    await db.sql.run('DELETE FROM daily_rollups WHERE transactions = 0 AND voided = 0 AND other_status = 0');
    const full = await snapshot();
    // A day whose every row moved away keeps a zero row under deltas; a recompute of nothing has none.
    expect(incremental.daily.filter((r) => r.transactions + r.voided + r.other_status > 0)).toEqual(full.daily);
    expect(incremental.hourly).toEqual(full.hourly);
    expect(full.daily.length).toBeGreaterThan(3);
  });
});

describe('car-wash flags and labor (issue 11)', () => {
  const withoutTime = (r: Record<string, number> | undefined) => {
    if (!r) return r;
    const { updated_at: _t, ...rest } = r;
    return rest;
  };

  it('move the rollups as wash flags, verifications and clock entries arrive, exactly as a rebuild from the rows', async () => {
    const ingest = db.ingestor;
    // A random mix of every status, flag and sign, then flags learnt later (and some unlearnt).
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const statuses = ['Completed', 'Completed', 'Completed', 'Voided', 'Suspended'];
    const rows = Array.from({ length: 300 }, () =>
      tx({
        localDay: rand() < 0.5 ? '2026-01-05' : '2026-01-06',
        localHour: Math.floor(rand() * 24),
        totalCents: rand() < 0.1 ? 0 : rand() < 0.1 ? -500 : Math.floor(rand() * 3000),
        status: statuses[Math.floor(rand() * statuses.length)]!,
        isPlanRedemption: rand() < 0.4,
        isPlanSale: rand() < 0.1,
      }),
    );
    await ingest.upsert('washu', rows);
    await ingest.setFlags(
      'washu',
      rows.filter(() => rand() < 0.5).map((r) => ({ transId: r.transId, isWash: rand() < 0.8, ...(r.isPlanSale ? { isNewMembership: rand() < 0.7 } : {}) })),
    );
    // A v2 refetch keeps the flags; then the rest of the day's wash list is read.
    await ingest.upsert('washu', rows.slice(0, 50).map((r) => ({ ...r, status: 'Completed' })));
    await ingest.markUnlistedAsNotWashes('washu', 'JOLIET', '2026-01-05', '2026-01-06', Date.now() + 1000);
    // Clock entries: two employees, an open shift, an entry that moves day, one deleted in BackOffice.
    const entry = (employeeId: number, clockInUnix: number, localDay: string, over = {}) => ({
      employeeId, clockInUnix, siteCode: 'JOLIET', localDay, clockOutUnix: clockInUnix + 8 * 3600, regularHundredths: 800,
      overtimeHundredths: 0, regularRateCents: 1600, overtimeRateCents: 2400, costCents: 12_800, wasModified: false, ...over,
    });
    const window = { fromDay: '2026-01-04', toDay: '2026-01-07' };
    await ingest.upsertClockEntries('washu', 101, [entry(101, 1000, '2026-01-05'), entry(101, 2000, '2026-01-06', { clockOutUnix: null, regularHundredths: 350, costCents: 5600 })], window);
    await ingest.upsertClockEntries('washu', 102, [entry(102, 3000, '2026-01-05', { overtimeHundredths: 125, costCents: 15_800 })], window);
    await ingest.upsertClockEntries('washu', 101, [entry(101, 2000, '2026-01-06', { regularHundredths: 900, overtimeHundredths: 50, costCents: 15_600 })], window);

    const incremental = [await rollup('JOLIET', '2026-01-05'), await rollup('JOLIET', '2026-01-06')].map(withoutTime);
    expect(incremental[1]).toMatchObject({ labor_entries: 1, labor_hundredths: 950, labor_cost_cents: 15_600, open_shifts: 0 });
    expect(incremental[0]).toMatchObject({ labor_entries: 1, labor_hundredths: 925, unclassified_washes: 0 });
    await ingest.recompute('washu', 'JOLIET', ['2026-01-05', '2026-01-06']);
    expect([await rollup('JOLIET', '2026-01-05'), await rollup('JOLIET', '2026-01-06')].map(withoutTime)).toEqual(incremental);
    expect(incremental[0]!.retail_washes! + incremental[0]!.plan_sale_washes!).toBeGreaterThan(0);
  });

  it('count every measure the same way in JavaScript and in SQL, unknown flags included', async () => {
    const { TRANSACTION_MEASURES, contribution, rawAggregateSql } = await import('@/lib/measures');
    const ingest = db.ingestor;
    const combos: StoredTransaction[] = [];
    for (const status of ['Completed', 'Voided', 'Incomplete']) {
      for (const total of [-300, 0, 1250]) {
        for (const sale of [false, true]) {
          for (const redemption of [false, true]) {
            for (const wash of [null, false, true]) {
              for (const member of [null, false, true]) {
                combos.push(tx({ status, totalCents: total, isPlanSale: sale, isPlanRedemption: redemption, isWash: wash, isNewMembership: member, localDay: '2026-02-01' }));
              }
            }
          }
        }
      }
    }
    await ingest.upsert('washu', combos);
    for (const m of TRANSACTION_MEASURES) {
      const sql = await scalar(db, `SELECT ${rawAggregateSql(m)} FROM transactions WHERE local_day = '2026-02-01'`);
      const js = combos.reduce((n, t) => n + contribution(m, { ...t, isWash: t.isWash ?? null, isNewMembership: t.isNewMembership ?? null }), 0);
      expect({ measure: m.key, sql }).toEqual({ measure: m.key, sql: js });
    }
  });
});
});
