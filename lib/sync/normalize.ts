/**
 * v2 list items → rows as Washboard stores them, under FACTS §0 (local day in the site's zone,
 * money in integer cents, status kept verbatim even when unknown).
 */
import type { TransactionListItemV2 } from '@/lib/sonnys';
import type { StoredTransaction } from './ingest';
import { localParts } from '@/lib/calendar';

export class NormalizeError extends Error {
  override name = 'NormalizeError';
}

/** Dollars (possibly a float with binary noise, e.g. 12.34 → 12.339999…) to exact integer cents. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

export function normalizeTransaction(item: TransactionListItemV2, siteCode: string, timeZone: string): StoredTransaction {
  const ms = Date.parse(item.date);
  if (Number.isNaN(ms)) throw new NormalizeError(`transaction ${item.transId} has an unreadable date ${JSON.stringify(item.date)}`);
  const local = localParts(ms, timeZone);
  return {
    transId: item.transId,
    siteCode,
    transNumber: item.transNumber ?? null,
    occurredUnix: Math.floor(ms / 1000),
    localDay: local.day,
    localHour: local.hour,
    totalCents: toCents(item.total),
    status: item.transactionStatus,
    isPlanSale: item.isRecurringPlanSale,
    isPlanRedemption: item.isRecurringPlanRedemption,
    customerId: item.customerId ?? null,
  };
}
