import 'server-only';
import { getSqliteDb as getDb } from '@/db';
import type { Transaction } from '@/db/schema';
import { prepared } from './statements';

export type DayTransaction = Pick<
  Transaction,
  'transId' | 'transNumber' | 'occurredUnix' | 'totalCents' | 'status' | 'isPlanSale' | 'isPlanRedemption' | 'isWash' | 'isNewMembership'
>;

export interface DayTransactionsPage {
  rows: DayTransaction[];
  /** Every stored transaction of the site-day, any status. */
  total: number;
  page: number;
  pageSize: number;
}

// The (database, site, day, time) index serves both: the count from the index alone, the page in
// time order without a sort.
const COUNT_SQL = 'SELECT count(*) FROM transactions WHERE database_key = ? AND site_code = ? AND local_day = ?';
const PAGE_SQL = `
SELECT trans_id AS transId, trans_number AS transNumber, occurred_unix AS occurredUnix, total_cents AS totalCents, status,
  is_plan_sale AS isPlanSale, is_plan_redemption AS isPlanRedemption, is_wash AS isWash, is_new_membership AS isNewMembership
FROM transactions WHERE database_key = ? AND site_code = ? AND local_day = ?
ORDER BY occurred_unix, trans_id LIMIT ? OFFSET ?`;

type RawRow = Omit<DayTransaction, 'isPlanSale' | 'isPlanRedemption' | 'isWash' | 'isNewMembership'> & {
  isPlanSale: 0 | 1;
  isPlanRedemption: 0 | 1;
  isWash: 0 | 1 | null;
  isNewMembership: 0 | 1 | null;
};
const flag = (v: 0 | 1 | null) => (v === null ? null : v === 1);

/** One page (1-based) of a site-day's stored transactions, every status, in time order. */
export async function listDayTransactions(input: {
  databaseKey: string;
  code: string;
  day: string;
  page: number;
  pageSize?: number;
}): Promise<DayTransactionsPage> {
  const { sqlite } = getDb();
  const pageSize = input.pageSize ?? 100;
  const total = prepared<[string, string, string], number>(sqlite, COUNT_SQL).pluck().get(input.databaseKey, input.code, input.day) ?? 0;
  const page = Math.max(1, Math.min(input.page, Math.max(1, Math.ceil(total / pageSize))));
  const rows = prepared<[string, string, string, number, number], RawRow>(sqlite, PAGE_SQL)
    .all(input.databaseKey, input.code, input.day, pageSize, (page - 1) * pageSize)
    .map((r) => ({
      ...r,
      isPlanSale: r.isPlanSale === 1,
      isPlanRedemption: r.isPlanRedemption === 1,
      isWash: flag(r.isWash),
      isNewMembership: flag(r.isNewMembership),
    }));
  return { rows, total, page, pageSize };
}
