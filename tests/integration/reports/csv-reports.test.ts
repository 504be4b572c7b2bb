import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  centsToDecimal,
  chunksToReadableStream,
  DAILY_REPORT_COLUMNS,
  dailyReportCsv,
  TRANSACTION_EXPORT_COLUMNS,
  transactionsExportCsv,
  writeDailyReport,
  writeTransactionsExport,
} from '@/lib/reports';
import { openExportReader } from '@/db/queries/exports';
import { createIngestor } from '@/db/sqlite/ingest';
import { DIALECTS } from '@/tests/support/postgres';
import { createFixtureOn, type DialectFixture } from '../queries/support/dialects';
import { expectedTotals, makeRow, SITES, type Fixture, type FixtureRow } from '../queries/support/fixture';

// Rows some tests read, beyond the fixture's: a day with only a voided transaction and a day with
// a refund (2027), and two rows an hour apart that read 01:30 on both sides of Chicago's fall-back.
const site = SITES[0]!;
const dst = (transId: string, occurredUnix: number, customerId: string | null): FixtureRow => ({
  databaseKey: 'washu',
  siteCode: 'JOL',
  transNumber: 1,
  localDay: '2026-11-01',
  localHour: 1,
  totalCents: 500,
  transId,
  occurredUnix,
  status: 'Completed',
  isPlanSale: false,
  isPlanRedemption: false,
  customerId,
});
// 2026-11-01: Chicago falls back at 07:00 UTC; 06:30 UTC is 01:30 CDT and 07:30 UTC is 01:30 CST.
const DST_ROWS = [dst('dst-a', Date.UTC(2026, 10, 1, 6, 30, 5) / 1000, '=cmd|calc'), dst('dst-b', Date.UTC(2026, 10, 1, 7, 30, 7) / 1000, '-2')];
const EXTRA_ROWS: FixtureRow[] = [
  makeRow(site, '2027-01-05', 9, 0, { transId: 'v1', status: 'Voided', totalCents: 1500 }),
  makeRow(site, '2027-01-06', 9, 0, { transId: 'r1', totalCents: -1999 }),
  makeRow(site, '2027-01-06', 10, 0, { transId: 'r2', totalCents: 1000 }),
  ...DST_ROWS,
];
const addExtraRows = (source: Fixture) => createIngestor(source.db.sqlite).upsert('washu', EXTRA_ROWS);

async function chunksOf(chunks: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}
const collect = async (chunks: AsyncIterable<string>) => (await chunksOf(chunks)).join('');

describe.each(DIALECTS)('CSV reports on %s', (dialect) => {
  let fixture: DialectFixture;
  /** Every stored row: the fixture's and the extra ones. */
  let stored: FixtureRow[];
  beforeAll(async () => {
    fixture = await createFixtureOn(dialect, 'csv', addExtraRows);
    stored = [...fixture.rows, ...EXTRA_ROWS];
  });
  afterAll(async () => {
    await fixture.close();
  });

  /** A strict RFC 4180 reader (for the tests only): returns rows of cells. */
  function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let i = 0;
    let quoted = false;
    while (i < text.length) {
      const c = text[i]!;
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        if (c === '"') quoted = false;
        else cell += c;
        i++;
        continue;
      }
      if (c === '"') {
        expect(cell).toBe(''); // quotes only open a cell
        quoted = true;
      } else if (c === ',') {
        row.push(cell);
        cell = '';
      } else if (c === '\r') {
        expect(text[i + 1]).toBe('\n');
        row.push(cell);
        rows.push(row);
        row = [];
        cell = '';
        i++;
      } else {
        expect(c).not.toBe('\n'); // bare LF outside quotes would break the row count
        cell += c;
      }
      i++;
    }
    expect(cell).toBe('');
    expect(row).toEqual([]);
    return rows;
  }

  const WASHU_NAME: Record<string, string> = { washu: 'WashU', icon: 'Icon' };

  describe('daily report CSV', () => {
    it('has the agreed leading columns and one row per day, database and site with figures', async () => {
      const text = await collect(dailyReportCsv(fixture.db.reports, { from: '2026-10-24', to: '2026-11-22' }));
      expect(text.startsWith('date,database,site_code,site_name,transactions,revenue,')).toBe(true);
      const [header, ...rows] = parseCsv(text);
      expect(header).toEqual([...DAILY_REPORT_COLUMNS]);

      const expectedKeys = new Set(
        stored
          .filter((r) => r.localDay >= '2026-10-24' && r.localDay <= '2026-11-22')
          .map((r) => `${r.localDay}|${WASHU_NAME[r.databaseKey]}|${r.siteCode}`),
      );
      expect(rows.map((r) => `${r[0]}|${r[1]}|${r[2]}`)).toEqual(
        [...expectedKeys].sort((a, b) => {
          const [da, na, ca] = a.split('|') as [string, string, string];
          const [db, nb, cb] = b.split('|') as [string, string, string];
          return da.localeCompare(db) || na.localeCompare(nb) || ca.localeCompare(cb);
        }),
      );

      let revenueCents = 0;
      for (const row of rows) {
        const cell = Object.fromEntries(DAILY_REPORT_COLUMNS.map((c, i) => [c, row[i]!])) as Record<(typeof DAILY_REPORT_COLUMNS)[number], string>;
        const site = SITES.find((s) => WASHU_NAME[s.databaseKey] === cell.database && s.code === cell.site_code)!;
        const mine = stored.filter(
          (r) => r.databaseKey === site.databaseKey && r.siteCode === site.code && r.localDay === cell.date,
        );
        const want = expectedTotals(mine);
        expect(cell.transactions).toBe(String(want.transactions));
        expect(cell.revenue).toBe(centsToDecimal(want.revenueCents));
        expect(cell.revenue).toMatch(/^-?\d+\.\d\d$/);
        expect(cell.membership_sales).toBe(String(want.membershipSales));
        expect(cell.membership_sales_revenue).toBe(centsToDecimal(want.membershipSalesCents));
        expect(cell.redemptions).toBe(String(want.redemptions));
        expect(cell.voided).toBe(String(want.voided));
        expect(cell.other_status).toBe(String(want.otherStatus));
        expect(cell.average_ticket).toBe(
          // Whole cents, half away from zero.
          want.salesCount ? centsToDecimal(Math.sign(want.revenueCents) * Math.round(Math.abs(want.revenueCents) / want.salesCount)) : '',
        );
        // The formula-looking site name is neutralised, the quote and comma survive a round trip.
        expect(cell.site_name).toBe(site.code === 'PLN' ? `'=Plainfield, "North"` : site.name);
        revenueCents += Math.round(Number(cell.revenue) * 100);
      }
      const total = expectedTotals(stored.filter((r) => r.localDay >= '2026-10-24' && r.localDay <= '2026-11-22'));
      expect(revenueCents).toBe(total.revenueCents);
    });

    it('keeps a day that only has voided transactions, and negative revenue', async () => {
      const rows = parseCsv(await collect(dailyReportCsv(fixture.db.reports, { from: '2027-01-01', to: '2027-01-31' }))).slice(1);
      expect(rows.map((r) => r.slice(0, 8))).toEqual([
        ['2027-01-05', 'WashU', 'JOL', 'Joliet', '0', '0.00', '', '0'],
        ['2027-01-06', 'WashU', 'JOL', 'Joliet', '2', '-9.99', '-5.00', '2'],
      ]);
      expect(rows[0]![14]).toBe('1');
    });

    it('filters by database and site, and yields whole lines in bounded chunks', async () => {
      const chunks = await chunksOf(dailyReportCsv(fixture.db.reports, { from: '2026-09-01', to: '2026-12-31', databaseKeys: ['icon'] }, { chunkBytes: 512 }));
      expect(chunks.length).toBeGreaterThan(5);
      for (const chunk of chunks) {
        expect(chunk.endsWith('\r\n')).toBe(true);
        expect(chunk.length).toBeLessThan(512 + 300);
      }
      const rows = parseCsv(chunks.join('')).slice(1);
      expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(['Icon']));
      const old = parseCsv(
        await collect(dailyReportCsv(fixture.db.reports, { from: '2026-09-01', to: '2026-12-31', sites: [{ databaseKey: 'icon', code: 'OLD' }] })),
      ).slice(1);
      expect(old.length).toBe(16); // 2026-09-20 .. 2026-10-05
      expect(new Set(old.map((r) => r[2]))).toEqual(new Set(['OLD']));
    });

    it('is produced lazily: the first chunk comes before the rest is read', async () => {
      const gen = dailyReportCsv(fixture.db.reports, { from: '2026-09-01', to: '2026-12-31' }, { chunkBytes: 256 });
      const first = await gen.next();
      expect(first.done).toBe(false);
      expect(first.value).toMatch(/^date,database/);
      // Stopping early releases the statement: the connection can write again (SQLite), the
      // connection goes back to the pool (Postgres).
      await gen.return({ rows: 0 });
      const { db } = fixture;
      if (db.kind === 'postgres') expect(db.pool.totalCount - db.pool.idleCount).toBe(0);
      expect(await db.sql.run("UPDATE databases SET name = name WHERE key = 'washu'")).toBe(1);
    });
  });

  describe('transactions export CSV', () => {
    it('has one row per stored transaction, every status, with local date and time', async () => {
      const text = await collect(transactionsExportCsv(fixture.db.reports, { from: '2026-10-24', to: '2026-11-22' }));
      const [header, ...rows] = parseCsv(text);
      expect(header).toEqual([...TRANSACTION_EXPORT_COLUMNS]);
      const expected = stored.filter((r) => r.localDay >= '2026-10-24' && r.localDay <= '2026-11-22');
      expect(rows).toHaveLength(expected.length);
      const byId = new Map(expected.map((r) => [r.transId, r]));
      for (const row of rows) {
        const cell = Object.fromEntries(TRANSACTION_EXPORT_COLUMNS.map((c, i) => [c, row[i]!])) as Record<(typeof TRANSACTION_EXPORT_COLUMNS)[number], string>;
        const want = byId.get(cell.trans_id)!;
        expect(cell.date).toBe(want.localDay);
        expect(cell.local_time.slice(0, 2)).toBe(String(want.localHour).padStart(2, '0'));
        expect(cell.database).toBe(WASHU_NAME[want.databaseKey]);
        expect(cell.status).toBe(want.status);
        expect(cell.total).toBe(centsToDecimal(want.totalCents));
        expect(cell.is_membership_sale).toBe(String(want.isPlanSale));
        expect(cell.is_redemption).toBe(String(want.isPlanRedemption));
        // A cell that would start a formula gets a leading quote (see the DST rows below).
        expect(cell.customer_id).toBe((want.customerId ?? '').replace(/^[=+\-@]/, "'$&"));
      }
      // Site by site (database display name, then code), each in time order.
      expect(rows[0]![2]).toBe('Icon');
      expect(rows.at(-1)![3]).toBe('PLN');
    });

    it('writes the local time on both sides of a DST change, and neutralises text', async () => {
      const rows = parseCsv(
        await collect(transactionsExportCsv(fixture.db.reports, { from: '2026-11-01', to: '2026-11-01', sites: [{ databaseKey: 'washu', code: 'JOL' }] })),
      ).slice(1);
      const a = rows.find((r) => r[5] === 'dst-a')!;
      const b = rows.find((r) => r[5] === 'dst-b')!;
      expect(a[1]).toBe('01:30:05');
      expect(b[1]).toBe('01:30:07');
      expect(rows.indexOf(a)).toBeLessThan(rows.indexOf(b));
      expect(a[11]).toBe("'=cmd|calc");
      expect(b[11]).toBe("'-2");
    });
  });

  describe('streaming sinks', () => {
    it('write to a slow Node stream with backpressure and report the row count', async () => {
      const received: string[] = [];
      let writes = 0;
      const slow = new Writable({
        highWaterMark: 128,
        write(chunk: Buffer, _enc, done) {
          writes++;
          received.push(chunk.toString('utf8'));
          setTimeout(done, 1);
        },
      });
      const summary = await writeTransactionsExport(fixture.db.reports, { from: '2026-09-01', to: '2026-12-31' }, slow);
      const rows = parseCsv(received.join('')).slice(1);
      expect(summary.rows).toBe(rows.length);
      expect(writes).toBeGreaterThanOrEqual(1);
      const out = new PassThrough();
      const text: Buffer[] = [];
      out.on('data', (c: Buffer) => text.push(c));
      const daily = await writeDailyReport(fixture.db.reports, { from: '2026-11-01', to: '2026-11-22' }, out);
      expect(parseCsv(Buffer.concat(text).toString('utf8')).length).toBe(daily.rows + 1);
    });

    it('become a web ReadableStream that pulls on demand and cleans up on cancel', async () => {
      let closed = 0;
      const stream = chunksToReadableStream(
        dailyReportCsv(fixture.db.reports, { from: '2026-09-01', to: '2026-12-31' }, { chunkBytes: 200 }),
        () => closed++,
      );
      const reader = stream.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toMatch(/^date,database,site_code,site_name,transactions,revenue,/);
      await reader.cancel();
      expect(closed).toBe(1);

      const full = chunksToReadableStream(dailyReportCsv(fixture.db.reports, { from: '2026-11-01', to: '2026-11-02' }), () => closed++);
      const text = await new Response(full).text();
      expect(text.split('\r\n').length).toBeGreaterThan(2);
      expect(closed).toBe(2);
    });
  });

  describe('the same bytes on both dialects', () => {
    it("reads a download's snapshot on a connection of its own, closed at the end", async () => {
      const scope = { from: '2026-09-01', to: '2027-01-31' };
      const reader = openExportReader();
      try {
        const text = await collect(transactionsExportCsv(reader, scope));
        expect(text).toBe(await collect(transactionsExportCsv(fixture.source.db.reports, scope)));
        expect(await collect(dailyReportCsv(reader, scope))).toBe(await collect(dailyReportCsv(fixture.source.db.reports, scope)));
      } finally {
        reader.close();
      }
    });
  });
});

// Postgres against the SQLite archive it was copied from: one pass, on the copy.
describe('CSV reports on postgres, byte for byte as on sqlite', () => {
  let fixture: DialectFixture;
  beforeAll(async () => {
    fixture = await createFixtureOn('postgres', 'csv_bytes', addExtraRows);
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('writes the daily report and the transactions export exactly as SQLite does', async () => {
    const sqlite = fixture.source.db.reports;
    for (const scope of [
      { from: '2026-09-01', to: '2027-01-31' },
      { from: '2026-10-24', to: '2026-11-22', databaseKeys: ['icon'], sites: [{ databaseKey: 'washu', code: 'PLN' }] },
    ]) {
      const daily = await collect(dailyReportCsv(fixture.db.reports, scope));
      expect(daily).toBe(await collect(dailyReportCsv(sqlite, scope)));
      const lines = await collect(transactionsExportCsv(fixture.db.reports, scope));
      expect(lines).toBe(await collect(transactionsExportCsv(sqlite, scope)));
      expect(lines.split('\r\n').length).toBeGreaterThan(100);
    }
  });
});
