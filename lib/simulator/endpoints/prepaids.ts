/** `/giftcard-liablilty`, `/washbook/account/list`, `/washbook/account/{account_id}/detail`. */
import { catalogItem, priceAt } from '@/lib/simulator/catalog';
import { accountRng } from '@/lib/simulator/generator/accounts';
import { apiErrors } from '@/lib/simulator/http/errors';
import { listData, readPaging } from '@/lib/simulator/http/paging';
import { ENTITY_ID } from '@/lib/simulator/http/query';
import { readUnixWindow } from '@/lib/simulator/http/rules';
import { serverTimezone, type HandlerResult, type RequestContext } from '@/lib/simulator/http/runtime';
import { selectSites, visibleSites } from '@/lib/simulator/http/scope';
import { cents } from '@/lib/simulator/money';
import { sqlUtc } from '@/lib/simulator/time';
import type { SimTransaction } from '@/lib/simulator/generator/types';
import { accountTransaction, creatingTransactions, customerRef, recurringDetail } from '@/lib/simulator/endpoints/accounts-common';

const DAY = 86_400_000;

function giftcard(ctx: RequestContext, tx: SimTransaction) {
  const rng = accountRng(ctx.rt.world, ctx.db, tx.transId, 'giftcard');
  const value = tx.totalCents;
  const ageDays = Math.max(0, (ctx.now - tx.dateMs) / DAY);
  const used = Math.min(value, Math.round((value * Math.min(1, ageDays / rng.int(20, 240))) / 100) * 100);
  return {
    siteCode: tx.siteCode,
    completeDate: sqlUtc(tx.dateMs),
    number: `GC${rng.digits(10)}`,
    value: cents(value),
    amountUsed: cents(used),
    giftcardId: tx.transId,
  };
}

export function listGiftcards(ctx: RequestContext): HandlerResult {
  const p = readPaging(ctx);
  const prepaidNumber = ctx.q.string('prepaidNumber', { minLength: 1, pattern: /^[A-Za-z0-9]+$/, patternText: 'must be alphanumeric.' });
  const w = readUnixWindow(ctx.q, ctx.now, serverTimezone(ctx.db), ctx.rt.rules, { defaults: 'today', horizon: true });
  ctx.q.done(ctx.rt.rules.invalidTimestampError);
  const sites = selectSites(ctx, { region: false });
  const rows = creatingTransactions(ctx, sites, w.startSec * 1000, w.endSec * 1000 + 999, ['giftcardSale'])
    .map((tx) => giftcard(ctx, tx))
    .filter((g) => prepaidNumber === undefined || g.number === prepaidNumber);
  return { data: listData('giftcards', rows, p, (g) => g), listKey: 'giftcards' };
}

function washbookBalance(ctx: RequestContext, tx: SimTransaction): number {
  const rng = accountRng(ctx.rt.world, ctx.db, tx.transId, 'washbook');
  const perWeek = rng.range(0.3, 1.5);
  const used = Math.floor(((ctx.now - tx.dateMs) / (7 * DAY)) * perWeek);
  return Math.max(0, 5 - used);
}

export function listWashbooks(ctx: RequestContext): HandlerResult {
  const q = ctx.q;
  const p = readPaging(ctx);
  const status = q.enumOf('accountStatus', ['active', 'inactive'] as const);
  const customerId = q.string('customerId', { pattern: ENTITY_ID, patternText: 'must match the pattern ^\\d+:\\d+$.' });
  const itemId = q.string('itemId', { pattern: ENTITY_ID, patternText: 'must match the pattern ^\\d+:\\d+$.' });
  const months = ctx.rt.rules.accountListMaxMonths;
  const w = readUnixWindow(q, ctx.now, serverTimezone(ctx.db), ctx.rt.rules, {
    defaults: 'lastMonth',
    horizon: false,
    maxRangeSec: Math.round(months * 30.5 * 86_400),
    maxRangeText: `${months} months`,
  });
  q.done(ctx.rt.rules.invalidTimestampError);
  const item = catalogItem('BOOK_DELUXE5');
  const rows = creatingTransactions(ctx, visibleSites(ctx), w.startSec * 1000, w.endSec * 1000 + 999, ['washbookSale'])
    .map((tx) => {
      const balance = washbookBalance(ctx, tx);
      return {
        id: tx.transId,
        name: item.name,
        balance: String(balance),
        signUpDate: sqlUtc(tx.dateMs),
        cancelDate: null,
        billingSiteId: tx.siteId,
        customerId: tx.customerId,
        status: balance > 0 ? 'Active' : 'Inactive',
        _itemId: `${item.sku}:${tx.siteId}`,
      };
    })
    .filter((r) => status === undefined || r.status.toLowerCase() === status)
    .filter((r) => customerId === undefined || r.customerId === customerId)
    .filter((r) => itemId === undefined || r._itemId === itemId);
  return { data: listData('accounts', rows, p, ({ _itemId, ...r }) => r), listKey: 'accounts' };
}

/** Works for both washbook and recurring accounts (openapi.yml). */
export function getWashbookDetail(ctx: RequestContext): HandlerResult {
  const id = ctx.params.account_id ?? '';
  const tx = accountTransaction(ctx, id, ['washbookSale', 'planSale']);
  if (!tx) throw apiErrors.notFound('The Washbook Account searched for was not found.');
  if (tx.kind === 'planSale') {
    const r = recurringDetail(ctx, tx);
    const plan = tx.lines.find((l) => catalogItem(l.itemKey).department === 'Recurring Plan');
    const price = plan ? priceAt(ctx.db, catalogItem(plan.itemKey)) : 0;
    return {
      data: {
        id: tx.transId,
        name: r.planName,
        balance: '999.00',
        customer: r.customer,
        status: r.currentRecurringStatusName === 'Active' ? 'Active' : 'Inactive',
        recurringInfo: {
          currentBillableAmount: cents(price),
          nextBillDate: r.nextBillDate,
          lastBillDate: r.lastBillDate,
          isOnTrial: r.isOnTrial,
          remainingTrialPeriods: r.isOnTrial ? 1 : 0,
        },
        tags: r.tags,
        vehicles: r.vehicles,
      },
    };
  }
  const balance = washbookBalance(ctx, tx);
  return {
    data: {
      id: tx.transId,
      name: catalogItem('BOOK_DELUXE5').name,
      balance: `${balance}.00`,
      customer: customerRef(ctx, tx.customerId),
      status: balance > 0 ? 'Active' : 'Inactive',
      // FACTS §2.3: always an object, even for non-recurring accounts.
      recurringInfo: { currentBillableAmount: cents(0), nextBillDate: null, lastBillDate: null, isOnTrial: false, remainingTrialPeriods: 0 },
      tags: [],
      vehicles: tx.plate ? [{ id: tx.transId, plate: tx.plate }] : [],
    },
  };
}
