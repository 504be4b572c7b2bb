import 'server-only';
import { getDb } from '@/db';
import type { Transaction } from '@/db/schema';

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
const COUNT_SQL = 'SELECT count(*) AS n FROM transactions WHERE database_key = ? AND site_code = ? AND local_day = ?';
const PAGE_SQL = (byteOrder: (expr: string) => string) => `
SELECT trans_id AS "transId", trans_number AS "transNumber", occurred_unix AS "occurredUnix", total_cents AS "totalCents", status,
  is_plan_sale AS "isPlanSale", is_plan_redemption AS "isPlanRedemption", is_wash AS "isWash", is_new_membership AS "isNewMembership"
FROM transactions WHERE database_key = ? AND site_code = ? AND local_day = ?
ORDER BY occurred_unix, ${byteOrder('trans_id')} LIMIT ? OFFSET ?`;

// Flags: 1/0 from SQLite, true/false from Postgres.
type Flag = 0 | 1 | boolean;
type RawRow = Omit<DayTransaction, 'isPlanSale' | 'isPlanRedemption' | 'isWash' | 'isNewMembership'> & {
  isPlanSale: Flag;
  isPlanRedemption: Flag;
  isWash: Flag | null;
  isNewMembership: Flag | null;
};
const flag = (v: Flag | null) => (v === null ? null : v === 1 || v === true);

/** One page (1-based) of a site-day's stored transactions, every status, in time order. */
export async function listDayTransactions(input: {
  databaseKey: string;
  code: string;
  day: string;
  page: number;
  pageSize?: number;
}): Promise<DayTransactionsPage> {
  const { sql, dialect } = getDb();
  const pageSize = input.pageSize ?? 100;
  const total = (await sql.get<{ n: number }>(COUNT_SQL, [input.databaseKey, input.code, input.day]))?.n ?? 0;
  const page = Math.max(1, Math.min(input.page, Math.max(1, Math.ceil(total / pageSize))));
  const rows = (await sql.all<RawRow>(PAGE_SQL(dialect.byteOrder), [input.databaseKey, input.code, input.day, pageSize, (page - 1) * pageSize])).map((r) => ({
    ...r,
    isPlanSale: flag(r.isPlanSale)!,
    isPlanRedemption: flag(r.isPlanRedemption)!,
    isWash: flag(r.isWash),
    isNewMembership: flag(r.isNewMembership),
  }));
  return { rows, total, page, pageSize };
}
