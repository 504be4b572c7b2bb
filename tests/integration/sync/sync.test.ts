import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/env';
import { dailyReportCsv } from '@/lib/reports';
import { addDays, toLocalDate } from '@/lib/calendar';
import { createSyncRuntime } from '@/lib/sync/runtime';
import { SyncManager } from '@/lib/sync/manager';
import { DIALECTS } from '../../support/postgres';
import { compareWithTruth, scalar, startHarness, type DialectHarness as Harness } from './helpers';

// Noon in Chicago on a Tuesday: both databases are trading.
const T0 = Date.parse('2026-03-10T18:00:00Z');
const MINUTE = 60_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const expectTruth = async (harness: Harness, days: number, databases?: string[]) => {
  const rows = await compareWithTruth(harness, days, databases);
  expect(rows.length).toBeGreaterThanOrEqual(12);
  for (const r of rows) expect({ key: r.key, ...r.stored }).toEqual({ key: r.key, ...r.truth });
  expect(rows.reduce((n, r) => n + r.truth.transactions!, 0)).toBeGreaterThan(500);
};

const count = (harness: Harness, sql: string, ...params: unknown[]) => scalar(harness.db, sql, ...params);

describe.each(DIALECTS)('sync against the simulator on %s', (dialect) => {
  it('reproduces the truth for every database, site and day; a quiet site then costs one request', async () => {
    h = await startHarness({ dialect, sim: { clock: { start: T0, frozen: true } } });
    const outcomes = await Promise.all((await h.runtime.manager.triggerAll('cli')).map((r) => r.done));
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded']);
    await expectTruth(h, 3);

    // `npm run report`'s CSV says the same: one row per (day, database, site) with transactions.
    const yesterday = addDays(toLocalDate(T0, 'America/Chicago'), -1);
    let text = '';
    for await (const chunk of dailyReportCsv(h.db.reports, { from: yesterday, to: yesterday })) text += chunk;
    const csv = text.trim().split('\r\n');
    expect(csv[0]!.startsWith('date,database,site_code,site_name,transactions,revenue,')).toBe(true);
    const expected = h.sim.world.databases.flatMap((d) =>
      d.sites.map((site) => {
        const t = h!.sim.truth.day({ database: d.key, site: site.code, day: yesterday });
        return `${yesterday}|${d.name}|${site.code}|${t.completed}|${(t.revenueCents / 100).toFixed(2)}`;
      }),
    );
    const reported = csv.slice(1).map((line) => {
      const [date, database, code, , transactions, revenue] = line.split(',');
      return `${date}|${database}|${code}|${transactions}|${revenue}`;
    });
    expect(reported.sort()).toEqual(expected.sort());

    // Request economy: one site list per database plus, per range, ceil(rows / 100) pages (+1 when exact).
    for (const o of outcomes) {
      const pages = await h.db.sql.all<{ rows: number; pages: number }>('SELECT rows, next_page - 1 AS pages FROM sync_chunks WHERE run_id = ?', [o.runId]);
      const bound = 1 + pages.reduce((n, c) => n + Math.floor(c.rows / 100) + 1, 0);
      expect(o.progress.doneRequests).toBeLessThanOrEqual(bound);
      expect(o.progress.doneRequests).toBe(1 + pages.reduce((n, c) => n + c.pages, 0));
    }

    // Later: only today and yesterday are fetched again, and the site list comes from its 1-hour cache.
    h.sim.clock.advance(11 * MINUTE);
    const again = await (await h.runtime.manager.trigger('icon', 'scheduled')).done;
    expect(again.status).toBe('succeeded');
    const chunks = await h.db.sql.all<{ site: string; fromDay: string; toDay: string; pages: number }>(
      'SELECT site_code AS site, from_day AS "fromDay", to_day AS "toDay", next_page - 1 AS pages FROM sync_chunks WHERE run_id = ?',
      [again.runId],
    );
    const today = toLocalDate(h.sim.clock.now(), 'America/Denver');
    expect(chunks.every((c) => c.toDay >= today && c.fromDay < today)).toBe(true);
    const web = chunks.find((c) => c.site === 'ICONWEB');
    expect(web?.pages).toBe(1); // the e-commerce site is quiet: one request
    expect(again.progress.doneRequests).toBe(chunks.reduce((n, c) => n + c.pages, 0));
    await expectTruth(h, 3, ['icon']);
  });

  it('picks up a late upload and a later void on the next sync', async () => {
    h = await startHarness({ dialect, sim: { clock: { start: T0, frozen: true } } });
    const today = toLocalDate(T0, 'America/Chicago');
    // JOLIET's controller is offline from 9:00 to 14:00 local: its morning arrives at 14:00.
    h.sim.addOutage({ database: 'washu', site: 'JOLIET', day: today, startHour: 9, hours: 5 });
    const early = h.sim.truth
      .transactions({ database: 'washu', site: 'ROMEOVILLE', day: today })
      .find((t) => t.status === 'Completed' && !t.isRecurringPlanRedemption && Date.parse(t.date) < T0 - 60 * MINUTE)!;
    const voidAfter = Math.ceil((T0 + 30 * MINUTE - Date.parse(early.date)) / MINUTE);
    h.sim.addLaterVoid({ database: 'washu', transId: early.transId, afterMinutes: voidAfter });

    expect((await (await h.runtime.manager.trigger('washu', 'cli')).done).status).toBe('succeeded');
    await expectTruth(h, 3, ['washu']);
    const before = await count(h, "SELECT count(*) FROM transactions WHERE site_code = 'JOLIET' AND local_day = ?", today);
    const status = async () => (await h!.db.sql.get<{ status: string }>('SELECT status FROM transactions WHERE trans_id = ?', [early.transId]))?.status;
    expect(await status()).toBe('Completed');

    h.sim.clock.advance(3 * 60 * MINUTE); // 15:00: the backlog is in, the sale was voided
    expect((await (await h.runtime.manager.trigger('washu', 'scheduled')).done).status).toBe('succeeded');
    await expectTruth(h, 3, ['washu']);
    expect(await status()).toBe('Voided');
    const after = await count(h, "SELECT count(*) FROM transactions WHERE site_code = 'JOLIET' AND local_day = ?", today);
    const backlog = h.sim.truth.transactions({ database: 'washu', site: 'JOLIET', day: today }).filter((t) => {
      const hour = Number(new Date(Date.parse(t.date) - 6 * 60 * MINUTE).toISOString().slice(11, 13));
      return hour >= 9 && hour < 12;
    }).length;
    expect(backlog).toBeGreaterThan(10);
    expect(after).toBeGreaterThanOrEqual(before + backlog);
  });

  it('sees a void entered two days late when the day is rechecked at 3 days old', async () => {
    h = await startHarness({ dialect, sim: { clock: { start: T0, frozen: true } } });
    const yesterday = addDays(toLocalDate(T0, 'America/Chicago'), -1);
    const sale = h.sim.truth
      .transactions({ database: 'washu', site: 'ROMEOVILLE', day: yesterday })
      .find((t) => t.status === 'Completed' && !t.isRecurringPlanRedemption)!;
    // Voided two days after the first sync, when the day is no longer in the trailing window.
    const voidAt = T0 + 2 * 24 * 60 * MINUTE;
    h.sim.addLaterVoid({ database: 'washu', transId: sale.transId, afterMinutes: Math.ceil((voidAt - Date.parse(sale.date)) / MINUTE) });
    const status = async () => (await h!.db.sql.get<{ status: string }>('SELECT status FROM transactions WHERE trans_id = ?', [sale.transId]))?.status;
    const sync = async () => expect((await (await h!.runtime.manager.trigger('washu', 'scheduled')).done).status).toBe('succeeded');

    await sync();
    expect(await status()).toBe('Completed');
    h.sim.clock.advance(2 * 24 * 60 * MINUTE + 60 * MINUTE); // the void is in, but the day is 2.5 days old
    await sync();
    expect(await status()).toBe('Completed');
    h.sim.clock.advance(24 * 60 * MINUTE); // 3.5 days old: rechecked
    await sync();
    expect(await status()).toBe('Voided');
    expect(h.sim.truth.day({ database: 'washu', site: 'ROMEOVILLE', day: yesterday }).completed).toBe(
      await count(h, "SELECT transactions FROM daily_rollups WHERE database_key = 'washu' AND site_code = 'ROMEOVILLE' AND local_day = ?", yesterday),
    );
  });

  it('runs one sync per database when two triggers come at once, in one process or two', async () => {
    h = await startHarness({ dialect, sim: { clock: { start: T0, frozen: true } } });
    const first = await h.runtime.manager.trigger('washu', 'scheduled');
    const second = await h.runtime.manager.trigger('washu', 'manual');
    expect(second).toMatchObject({ joined: true, runId: first.runId });

    // A second process: its own connection and manager on the same database.
    const other = h.openAnother();
    const otherManager = new SyncManager(other.syncStore, other.ingestor, h.runtime.targets, { now: () => h!.sim.clock.now() });
    const third = await otherManager.trigger('washu', 'cli');
    expect(third).toMatchObject({ joined: true, runId: first.runId });

    const outcomes = await Promise.all([first.done, second.done, third.done]);
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(await count(h, "SELECT count(*) FROM sync_runs WHERE database_key = 'washu'")).toBe(1);
    await other.close();
  });

  it('leaves the database as it was when a page is malformed, and says where', async () => {
    h = await startHarness({ dialect, sim: { clock: { start: T0, frozen: true } } });
    expect((await (await h.runtime.manager.trigger('washu', 'cli')).done).status).toBe('succeeded');
    const fingerprint = () => h!.db.sql.all('SELECT trans_id, total_cents, status FROM transactions ORDER BY trans_id');
    const rollups = () => h!.db.sql.all('SELECT * FROM daily_rollups ORDER BY 1, 2, 3');
    const [rowsBefore, rollupsBefore] = [await fingerprint(), await rollups()];

    h.sim.clock.advance(11 * MINUTE);
    h.sim.setFaults({ malformedRate: 1, malformedKinds: ['schema'], paths: ['/transaction/version-2'] });
    const failed = await (await h.runtime.manager.trigger('washu', 'manual')).done;
    expect(failed.status).toBe('failed');
    expect(failed.message).toMatch(/^Sync of WashU failed at site [A-Z]+, GET \/transaction\/version-2 \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d, page \d+\): the API sent a page Washboard cannot read/);
    expect(await fingerprint()).toEqual(rowsBefore);
    expect(await rollups()).toEqual(rollupsBefore);
    expect(await h.db.sql.get('SELECT status, message FROM sync_runs WHERE id = ?', [failed.runId])).toEqual({
      status: 'failed',
      message: failed.message,
    });
  });

  it('says plainly when the API rejects the credentials, without the key', async () => {
    h = await startHarness({ dialect, sim: { clock: { start: T0, frozen: true } } });
    const washu = h.sim.world.databases.find((d) => d.key === 'washu')!;
    const config = parseEnv({
      DATABASE_URL: h.url,
      SONNYS_DATABASES: 'washu',
      SONNYS_WASHU_NAME: 'WashU',
      SONNYS_WASHU_API_ID: washu.apiId,
      SONNYS_WASHU_API_KEY: 'not-the-key-123',
      SONNYS_WASHU_BASE_URL: h.sim.url,
    });
    const live = await createSyncRuntime({ config, db: h.db, sync: { now: () => h!.sim.clock.now() } });
    const outcome = await (await live.manager.trigger('washu', 'manual')).done;
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toBe(
      'Sync of WashU failed at GET /site/list: the API rejected the credentials (BadClientCredentialsError). Check SONNYS_WASHU_API_ID and SONNYS_WASHU_API_KEY.',
    );
    expect(outcome.message).not.toContain('not-the-key-123');
    await live.close();
  });

  it('syncs on its own every interval while the app runs, and stops when told', async () => {
    h = await startHarness({ dialect, sim: { clock: { start: T0, frozen: true } } });
    const outcomes: string[] = [];
    h.runtime.manager.startScheduler(0.02, (o) => outcomes.push(o.status)); // every 1.2 s
    await expect.poll(() => count(h!, "SELECT count(*) FROM sync_runs WHERE trigger = 'scheduled' AND status = 'succeeded'"), {
      timeout: 20_000,
    }).toBeGreaterThanOrEqual(2);
    h.runtime.manager.stopScheduler();
    await new Promise((r) => setTimeout(r, 300)); // let a run that just started finish
    const runs = await count(h, 'SELECT count(*) FROM sync_runs');
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await count(h, 'SELECT count(*) FROM sync_runs')).toBe(runs);
    expect(outcomes.every((o) => o === 'succeeded')).toBe(true);
  });
});
