/**
 * Prepaid accounts derived from the transactions that created them: a genuine membership sale
 * opens a recurring account, a wash-book sale a washbook account, a gift-card sale a card. The
 * account ID is the creating transaction's ID, so details resolve without a table. Status
 * histories are deterministic per account.
 */
import { Rng, seedFrom } from '@/lib/simulator/random';
import type { DatabaseSpec, World } from '@/lib/simulator/world';
import type { SimTransaction } from '@/lib/simulator/generator/types';

export const STATUS_NAMES: Record<number, string> = {
  1: 'Active',
  2: 'Payment Failed',
  3: 'Payment CC Expired',
  4: 'Payment Retries Exceeded',
  5: 'Suspended',
  6: 'Expired',
  7: 'Cancelled',
  8: 'Declined',
  9: 'Authorizer Error',
  10: 'Cleared Tokens',
  11: 'Changed Authorizer',
  12: 'Payment CC Update Started',
  13: 'Payment CC Update Declined',
  14: 'Authorizer communication error',
  15: 'Unknown error error',
};

/** status-list spells code 15 differently (FACTS §2.4). */
export function statusListName(code: number): string {
  return code === 15 ? 'Unknown error' : (STATUS_NAMES[code] ?? 'Unknown error');
}

/** Status changes stop this many days after sign-up, which bounds history scans. */
export const HISTORY_DAYS = 150;
const DAY = 86_400_000;

export interface AccountEvent {
  code: number;
  atMs: number;
  by: string;
}

export function accountHistory(world: World, db: DatabaseSpec, tx: SimTransaction): AccountEvent[] {
  const rng = new Rng(seedFrom(world.seed, db.key, tx.transId, 'account'));
  const at = (minDays: number, maxDays: number): number => tx.dateMs + rng.int(minDays, maxDays) * DAY + rng.int(0, 86_399) * 1000;
  const events: AccountEvent[] = [{ code: 1, atMs: tx.dateMs, by: tx.cashier || 'E-Commerce' }];
  const r = rng.next();
  const billing = 'Recurring Billing Service';
  if (r < 0.55) return events;
  if (r < 0.75) {
    events.push({ code: 7, atMs: at(20, HISTORY_DAYS), by: rng.chance(0.5) ? 'Customer Portal' : 'Site Manager' });
  } else if (r < 0.85) {
    const failed = at(30, 120);
    events.push({ code: 2, atMs: failed, by: billing });
    if (rng.chance(0.6)) events.push({ code: 1, atMs: failed + rng.int(1, 5) * DAY, by: billing });
    else events.push({ code: 4, atMs: failed + 7 * DAY, by: billing });
  } else if (r < 0.92) {
    const suspended = at(25, 100);
    events.push({ code: 5, atMs: suspended, by: 'Site Manager' });
    events.push({ code: 1, atMs: suspended + rng.int(14, 45) * DAY, by: billing });
  } else {
    const declined = at(30, 120);
    events.push({ code: 8, atMs: declined, by: billing });
    if (rng.chance(0.5)) events.push({ code: 7, atMs: declined + 10 * DAY, by: billing });
  }
  return events;
}

export function statusAt(events: readonly AccountEvent[], atMs: number): number {
  let code = 1;
  for (const e of events) if (e.atMs <= atMs) code = e.code;
  return code;
}

/** Deterministic per-account extras (card, tags, vehicles, gift-card usage...). */
export function accountRng(world: World, db: DatabaseSpec, id: string, purpose: string): Rng {
  return new Rng(seedFrom(world.seed, db.key, id, purpose));
}
