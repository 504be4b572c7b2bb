/** Helpers shared by the prepaid and recurring endpoints. */
import { catalogItem, priceAt } from '@/lib/simulator/catalog';
import { findCustomer } from '@/lib/simulator/generator/customers';
import { accountHistory, accountRng, statusAt, STATUS_NAMES } from '@/lib/simulator/generator/accounts';
import type { SimTransaction, TxKind } from '@/lib/simulator/generator/types';
import type { RequestContext } from '@/lib/simulator/http/runtime';
import { licensePlate } from '@/lib/simulator/generator/names';
import { isoUtc, localDayOf, sqlUtc, utcDayOf } from '@/lib/simulator/time';
import { formatCents } from '@/lib/simulator/money';
import { operatingTimezone, SERVER_TIMEZONE, type SiteSpec } from '@/lib/simulator/world';

const DAY = 86_400_000;

/** Completed transactions of `kinds` (as of now) created in [startMs, endMs] at `sites`. */
export function creatingTransactions(ctx: RequestContext, sites: readonly SiteSpec[], startMs: number, endMs: number, kinds: readonly TxKind[]): SimTransaction[] {
  return ctx.rt.visibility
    .query(ctx.db, sites.map((s) => s.code), startMs, endMs, ctx.now)
    .filter((v) => v.status === 'Completed' && kinds.includes(v.tx.kind))
    .map((v) => v.tx);
}

/** The account a transaction ID opened, if it opened one and it is visible now. */
export function accountTransaction(ctx: RequestContext, id: string, kinds: readonly TxKind[]): SimTransaction | null {
  const tx = ctx.rt.store.findTransaction(ctx.db, id, ctx.now);
  if (!tx || !kinds.includes(tx.kind)) return null;
  const [v] = ctx.rt.visibility.visible(ctx.db, [tx], ctx.now);
  return v && v.status === 'Completed' ? tx : null;
}

/** A virtual site bills through a physical one. */
export function billingSite(ctx: RequestContext, tx: SimTransaction): SiteSpec {
  const own = ctx.db.sites.find((s) => s.code === tx.siteCode);
  if (own && !own.isVirtual) return own;
  const physical = ctx.db.sites.filter((s) => !s.isVirtual);
  return physical[tx.number % Math.max(1, physical.length)] ?? own ?? ctx.db.sites[0]!;
}

export function planLine(tx: SimTransaction) {
  const line = tx.lines.find((l) => catalogItem(l.itemKey).department === 'Recurring Plan');
  return line ? { item: catalogItem(line.itemKey), line } : null;
}

export function customerRef(ctx: RequestContext, id: string | null) {
  const c = id ? findCustomer(ctx.rt.world, ctx.db, id) : null;
  return { id: c?.id ?? id, number: c?.number ?? null, firstName: c?.firstName ?? null, lastName: c?.lastName ?? null };
}

/** Monthly bills from sign-up while the account is Active, up to now. */
export function billings(ctx: RequestContext, tx: SimTransaction, priceCents: number) {
  const events = accountHistory(ctx.rt.world, ctx.db, tx);
  const rng = accountRng(ctx.rt.world, ctx.db, tx.transId, 'card');
  const lastFour = rng.digits(4);
  const expiry = `${rng.int(2027, 2031)}-${String(rng.int(1, 12)).padStart(2, '0')}`;
  const out: Array<{ amountCharged: string; date: string; lastFourCC: string; creditCardExpirationDate: string | null }> = [];
  for (let k = 1; k < 60; k++) {
    const at = tx.dateMs + k * 30 * DAY;
    if (at > ctx.now) break;
    if (statusAt(events, at) !== 1) continue;
    out.push({ amountCharged: formatCents(priceCents), date: isoUtc(at), lastFourCC: `XXXXXXXXXXXX${lastFour}`, creditCardExpirationDate: expiry });
  }
  return out;
}

/** RecurringAccountDetailObject for a membership sale. */
export function recurringDetail(ctx: RequestContext, tx: SimTransaction): Record<string, unknown> {
  const plan = planLine(tx);
  const price = plan ? priceAt(ctx.db, plan.item) : 0;
  const events = accountHistory(ctx.rt.world, ctx.db, tx).filter((e) => e.atMs <= ctx.now);
  const code = statusAt(events, ctx.now);
  const bills = billings(ctx, tx, price);
  const rng = accountRng(ctx.rt.world, ctx.db, tx.transId, 'detail');
  const trial = tx.discounts.some((d) => d.code === 'TRIAL');
  const onTrial = trial && ctx.now - tx.dateMs < 30 * DAY;
  const site = ctx.db.sites.find((s) => s.code === tx.siteCode);
  const tz = site ? operatingTimezone(site) : SERVER_TIMEZONE;
  const lastBill = bills.at(-1);
  const nextBillMs = tx.dateMs + (bills.length + 1) * 30 * DAY;
  const suspended = code === 5;
  const tags = Array.from({ length: rng.int(1, 2) }, (_, i) => ({ id: `${tx.number + i}:${tx.siteId}`, number: rng.digits(13), enabled: code === 1 }));
  return {
    id: tx.transId,
    isOnTrial: onTrial,
    trialAmount: '9.99',
    billingSiteCode: billingSite(ctx, tx).code,
    creationSiteCode: tx.siteCode,
    nextBillDate: localDayOf(nextBillMs, tz),
    tags,
    vehicles: tx.plate ? [{ id: `${tx.number}:${tx.siteId}`, plate: tx.plate }] : [{ id: `${tx.number}:${tx.siteId}`, plate: licensePlate(rng) }],
    lastBillDate: lastBill ? utcDayOf(Date.parse(lastBill.date)) : null,
    billingAmount: lastBill ? lastBill.amountCharged : null,
    isSuspended: suspended,
    suspendedUntil: suspended ? utcDayOf(ctx.now + 14 * DAY) : null,
    currentRecurringStatusName: STATUS_NAMES[code] ?? 'Active',
    planName: plan?.item.name ?? 'Unlimited Plan',
    customer: customerRef(ctx, tx.customerId),
    recurringStatuses: events
      .filter((e) => e.code === 1 || e.code === 7 || e.code === 5)
      .map((e) => ({ status: e.code === 1 ? 'Active' : e.code === 7 ? 'Canceled' : 'Suspended', date: isoUtc(e.atMs) })),
    recurringBillings: bills,
    additionalTagPrice: tags.length > 1 ? 10.5 : null,
  };
}

export { sqlUtc };
