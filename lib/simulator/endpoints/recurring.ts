/**
 * `/recurring/account/list`, `/recurring/account/status-list`, `/recurring/account/modifications`,
 * `/recurring/account/{account_id}/detail`, `/recurring/account/details/list`.
 */
import { accountHistory, accountRng, HISTORY_DAYS, statusAt, statusListName, STATUS_NAMES } from '@/lib/simulator/generator/accounts';
import type { SimTransaction } from '@/lib/simulator/generator/types';
import { apiErrors } from '@/lib/simulator/http/errors';
import { listData, readPaging } from '@/lib/simulator/http/paging';
import { ENTITY_ID } from '@/lib/simulator/http/query';
import { readUnixWindow, type UnixWindow } from '@/lib/simulator/http/rules';
import { serverTimezone, type HandlerResult, type RequestContext } from '@/lib/simulator/http/runtime';
import { visibleSites } from '@/lib/simulator/http/scope';
import { isoUtc, localDayRangeMs, sqlUtc } from '@/lib/simulator/time';
import { accountTransaction, billingSite, creatingTransactions, planLine, recurringDetail } from '@/lib/simulator/endpoints/accounts-common';

const DAY = 86_400_000;
const STATUS_CODES = Array.from({ length: 15 }, (_, i) => String(i + 1));

function statusFilter(ctx: RequestContext): number | undefined {
  const v = ctx.q.enumOf('recurringAccountStatus', STATUS_CODES);
  return v === undefined ? undefined : Number(v);
}

function signupWindow(ctx: RequestContext, maxDays: number, text: string): UnixWindow {
  return readUnixWindow(ctx.q, ctx.now, serverTimezone(ctx.db), ctx.rt.rules, {
    defaults: 'lastMonth',
    horizon: false,
    maxRangeSec: maxDays * 86_400,
    maxRangeText: text,
  });
}

function accountsIn(ctx: RequestContext, w: UnixWindow): SimTransaction[] {
  return creatingTransactions(ctx, visibleSites(ctx), w.startSec * 1000, w.endSec * 1000 + 999, ['planSale']);
}

export function listRecurringAccounts(ctx: RequestContext): HandlerResult {
  const q = ctx.q;
  const p = readPaging(ctx);
  const status = statusFilter(ctx);
  const customerId = q.string('customerId', { pattern: ENTITY_ID, patternText: 'must match the pattern ^\\d+:\\d+$.' });
  const itemId = q.string('itemId', { pattern: ENTITY_ID, patternText: 'must match the pattern ^\\d+:\\d+$.' });
  const months = ctx.rt.rules.accountListMaxMonths;
  const explicit = q.has('startDate') || q.has('endDate');
  const w = signupWindow(ctx, Math.round(months * 30.5), `${months} months`);
  q.done(ctx.rt.rules.invalidTimestampError);
  // statusName and cancelDate reflect the filtered period (FACTS §4.7); latest when undated.
  const asOf = explicit ? Math.min(ctx.now, w.endSec * 1000 + 999) : ctx.now;
  const rows = accountsIn(ctx, w)
    .map((tx) => {
      const events = accountHistory(ctx.rt.world, ctx.db, tx);
      const code = statusAt(events, asOf);
      const cancel = events.find((e) => e.code === 7 && e.atMs <= asOf && (!explicit || e.atMs >= w.startSec * 1000));
      const plan = planLine(tx);
      const site = billingSite(ctx, tx);
      return {
        row: {
          id: tx.transId,
          name: plan?.item.name ?? null,
          balance: null,
          signUpDate: sqlUtc(tx.dateMs),
          cancelDate: cancel ? sqlUtc(cancel.atMs) : null,
          billingSiteId: site.siteId,
          customerId: tx.customerId,
          status: code,
          statusName: STATUS_NAMES[code] ?? 'Active',
          billingSiteCode: site.code,
        },
        itemId: plan ? `${plan.item.sku}:${tx.siteId}` : '',
      };
    })
    .filter((r) => status === undefined || r.row.status === status)
    .filter((r) => customerId === undefined || r.row.customerId === customerId)
    .filter((r) => itemId === undefined || r.itemId === itemId)
    .map((r) => r.row);
  return { data: listData('accounts', rows, p, (r) => r), listKey: 'accounts' };
}

export function listStatusChanges(ctx: RequestContext): HandlerResult {
  const p = readPaging(ctx, { min: 100, max: 1000, defaultLimit: 100 });
  const status = statusFilter(ctx);
  const w = readUnixWindow(ctx.q, ctx.now, serverTimezone(ctx.db), ctx.rt.rules, { defaults: 'today', horizon: false, noFuture: false });
  ctx.q.done(ctx.rt.rules.invalidTimestampError);
  const key = `${ctx.db.key}|${ctx.headerSite?.code ?? ''}|${['startDate', 'endDate', 'recurringAccountStatus', 'limit', 'offset'].map((k) => ctx.q.raw(k) ?? '').join('|')}`;
  const { value } = ctx.rt.caches.statusList.getOrBuild(key, ctx.now, () => {
    const startMs = w.startSec * 1000;
    const endMs = Math.min(ctx.now, w.endSec * 1000 + 999);
    // Status changes happen within HISTORY_DAYS of sign-up, which bounds the scan.
    const accounts = creatingTransactions(ctx, visibleSites(ctx), startMs - (HISTORY_DAYS + 10) * DAY, endMs, ['planSale']);
    const rows: Record<string, unknown>[] = [];
    for (const tx of accounts) {
      const events = accountHistory(ctx.rt.world, ctx.db, tx);
      events.forEach((e, i) => {
        if (i === 0 || e.atMs < startMs || e.atMs > endMs) return;
        if (status !== undefined && e.code !== status) return;
        rows.push({
          washbook_account_id: tx.transId,
          recurring_id: `${tx.number + 500}:${tx.siteId}`,
          old_status: statusListName(events[i - 1]?.code ?? 1),
          new_status: statusListName(e.code),
          status_date: isoUtc(e.atMs),
          employee_name: e.by,
          site_code: billingSite(ctx, tx).code,
          _at: e.atMs,
        });
      });
    }
    rows.sort((a, b) => (a._at as number) - (b._at as number));
    return listData('accounts', rows, p, ({ _at, ...r }) => r);
  });
  return { data: value as Record<string, unknown>, listKey: 'accounts' };
}

const MODIFICATIONS = ['Tag Added', 'Tags Removed', 'Billing Amount Change', 'Vehicle Plate Changed', 'Tag Enabled', 'Tag Disabled', 'Account Status Changed'];

export function listModifications(ctx: RequestContext): HandlerResult {
  const q = ctx.q;
  const p = readPaging(ctx);
  const mod = q.enumOf('modifications', ['1', '2', '3', '4', '5', '6', '7']);
  const sitesArg = q.raw('sites');
  const tz = serverTimezone(ctx.db);
  // The spec types these dates as Unix seconds; accept YYYY-MM-DD as clock-entries use in production.
  const s = q.ymdOrUnix('startDate');
  const e = q.ymdOrUnix('endDate');
  const months = ctx.rt.rules.accountListMaxMonths;
  const startMs = s !== undefined ? localDayRangeMs(s, tz).startMs : readUnixWindow(q, ctx.now, tz, ctx.rt.rules, { defaults: 'lastMonth', horizon: false }).startSec * 1000;
  const endMs = e !== undefined ? Math.min(ctx.now, localDayRangeMs(e, tz).endMs - 1) : ctx.now;
  if (endMs < startMs) q.fail('endDate', 'must be on or after startDate.');
  else if (endMs - startMs > months * 30.5 * DAY) q.fail('endDate', `the date range must not exceed ${months} months.`);
  let sites = visibleSites(ctx);
  if (sitesArg !== undefined) {
    const codes = sitesArg.split(',').map((c) => c.trim());
    for (const c of codes) if (!ctx.db.sites.some((x) => x.code === c)) q.fail('sites', `unknown site code ${c}.`);
    sites = sites.filter((x) => codes.includes(x.code));
  }
  q.done();
  const rows: Record<string, unknown>[] = [];
  for (const tx of creatingTransactions(ctx, sites, startMs, endMs, ['planSale'])) {
    const rng = accountRng(ctx.rt.world, ctx.db, tx.transId, 'modifications');
    const n = rng.chance(0.35) ? rng.int(1, 3) : 0;
    const entries = [];
    for (let i = 0; i < n; i++) {
      const type = rng.int(1, 7);
      const at = tx.dateMs + rng.int(1, 90) * DAY;
      if (at > ctx.now) continue;
      const name = MODIFICATIONS[type - 1] ?? 'Tag Added';
      const comment = type === 3 ? 'Billing amount changed by site manager.' : null;
      entries.push({ type, entry: ctx.rt.wire.modificationKeys === 'spec'
        ? { modificationType: name, modificationDate: sqlUtc(at), modificationComment: comment }
        : { name, date: sqlUtc(at), comment } });
    }
    if (entries.length === 0) continue;
    if (mod !== undefined && !entries.some((x) => x.type === Number(mod))) continue;
    rows.push({ ...recurringDetail(ctx, tx), modifications: entries.map((x) => x.entry) });
  }
  return { data: listData('accounts', rows, p, (r) => r), listKey: 'accounts' };
}

export function getRecurringDetail(ctx: RequestContext): HandlerResult {
  const tx = accountTransaction(ctx, ctx.params.account_id ?? '', ['planSale']);
  if (!tx) throw apiErrors.notFound('The Recurring Plan searched for was not found.');
  return { data: recurringDetail(ctx, tx) };
}

export function listRecurringDetails(ctx: RequestContext): HandlerResult {
  const p = readPaging(ctx);
  const status = statusFilter(ctx);
  const days = ctx.rt.rules.detailsListMaxRangeDays;
  const w = signupWindow(ctx, days, '1 month');
  ctx.q.done(ctx.rt.rules.invalidTimestampError);
  const rows = accountsIn(ctx, w)
    .filter((tx) => status === undefined || statusAt(accountHistory(ctx.rt.world, ctx.db, tx), ctx.now) === status)
    .map((tx) => recurringDetail(ctx, tx));
  return { data: listData('accounts', rows, p, (r) => r), listKey: 'accounts' };
}

