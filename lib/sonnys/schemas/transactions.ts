import { z } from 'zod';
import { count, envelope, integer, money, nullableOpenEnum, openEnum, pageFields, stringish, text } from './common';

export const TRANSACTION_STATUSES = [
  'Incomplete', 'In-Progress', 'Completed', 'Suspended', 'Voided', 'Recalled', 'Pre-Sell', 'N/A',
] as const;
export const TRANSACTION_TYPES = ['Sale', 'Return', 'Rewash'] as const;
export const TRANSACTION_ITEM_TYPES = [
  'wash', 'prepaid-wash', 'recurring', 'washbook', 'giftcard', 'merchandise', 'house-account',
] as const;
export type TransactionItemType = (typeof TRANSACTION_ITEM_TYPES)[number];
export const TENDERS = [
  'Cash', 'Credit', 'Debit', 'Void', 'Alt-Currency', 'Check', 'Prepaid', 'Coupon', 'Paid On Account',
  'Prepaid 3rd Party', 'Fleet', 'Prepaid Wash',
] as const;
export const TENDER_SUB_TYPES = [
  'Visa', 'MasterCard', 'Discover', 'Amex', 'Giftcard', 'Washbook', 'Washbook Recurring', 'RFID',
  'RFID Recurring', 'XpressWash', 'Code', 'Hamilton Fleet', 'Hamilton Value', '3rd Party Interface',
  'House Account Card', 'Voyager', 'Other', 'P-Card', 'House Account RFID', 'LPR', 'Debit',
] as const;
/** `get-job-data` status. Anything else (the SDK docs show `pending`) means still working (FACTS §2.4). */
export const JOB_STATUSES = ['pass', 'working', 'fail'] as const;

/** `GET /transaction` and `/transaction/type/{item_type}` items. */
export const TransactionListItemSchema = z.object({
  transNumber: integer,
  transId: z.string(),
  /** Includes discounts and tax; negative for refunds. */
  total: money,
  /** UTC ISO instant, e.g. `2018-05-19T05:32:32.000Z`. */
  date: z.string(),
});
export type TransactionListItem = z.output<typeof TransactionListItemSchema>;

/** `GET /transaction/version-2` items. */
export const TransactionListItemV2Schema = TransactionListItemSchema.extend({
  customerId: text,
  /** Includes plan upgrades and switches (FACTS §3 Q13). */
  isRecurringPlanSale: z.boolean(),
  isRecurringPlanRedemption: z.boolean(),
  transactionStatus: openEnum(TRANSACTION_STATUSES),
});
export type TransactionListItemV2 = z.output<typeof TransactionListItemV2Schema>;

export const TransactionTenderSchema = z.object({
  tender: openEnum(TENDERS),
  tenderSubType: nullableOpenEnum(TENDER_SUB_TYPES),
  amount: money,
  /** Negative when change is given. */
  change: money,
  total: money,
  referenceNumber: text,
  creditCardLastFour: text,
  /** `YYYY-MM`. */
  creditCardExpirationDate: text,
});
export type TransactionTender = z.output<typeof TransactionTenderSchema>;

export const TransactionItemSchema = z.object({
  name: z.string(),
  sku: text,
  department: z.string(),
  quantity: money,
  gross: money,
  net: money,
  discount: money,
  tax: money,
  additionalFee: money,
  isVoided: z.boolean(),
});
export type TransactionItem = z.output<typeof TransactionItemSchema>;

/**
 * The spec names the amount `discount`; production sends `discountAmount` (FACTS §3 Q3).
 * Both parse; the output always has `discountAmount`.
 */
export const TransactionDiscountSchema = z
  .object({
    discountName: z.string(),
    discountSku: text,
    appliedToItemName: z.string(),
    discountAmount: money.optional(),
    discount: money.optional(),
    discountCode: text,
  })
  .transform(({ discount, discountAmount, ...rest }, ctx) => {
    const amount = discountAmount ?? discount;
    if (amount === undefined) {
      ctx.issues.push({ code: 'custom', message: 'expected discountAmount (or discount)', input: rest, path: ['discountAmount'] });
      return z.NEVER;
    }
    return { ...rest, discountAmount: amount };
  });
export type TransactionDiscount = z.output<typeof TransactionDiscountSchema>;

const transactionShape = {
  id: z.string(),
  number: integer,
  type: openEnum(TRANSACTION_TYPES),
  /** UTC ISO instant. */
  completeDate: z.string(),
  /** Site code. */
  locationCode: z.string(),
  salesDeviceName: text,
  total: money,
  tenders: z.array(TransactionTenderSchema),
  items: z.array(TransactionItemSchema),
  // The five below arrive as "" when unset (FACTS §3 Q4); `text` turns that into null.
  customerName: text,
  customerId: text,
  vehicleLicensePlate: text,
  employeeCashier: text,
  employeeGreeter: text,
  /** Singular key holding an array (FACTS §3 Q3); `discounts` was briefly believed and is accepted. */
  discount: z.array(TransactionDiscountSchema).optional(),
  discounts: z.array(TransactionDiscountSchema).optional(),
  isRecurringPayment: z.boolean(),
  isRecurringRedemption: z.boolean(),
  /** True only for genuinely new plan sales, not upgrades (FACTS §3 Q13). */
  isRecurringSale: z.boolean(),
  isPrepaidRedemption: z.boolean(),
  isPrepaidSale: z.boolean(),
};

function mergeDiscountKeys<T extends { discount?: TransactionDiscount[] | undefined; discounts?: TransactionDiscount[] | undefined }>(
  value: T,
): Omit<T, 'discount' | 'discounts'> & { discount: TransactionDiscount[] } {
  const { discount, discounts, ...rest } = value;
  return { ...rest, discount: discount ?? discounts ?? [] };
}

/** `GET /transaction/{trans_id}`. */
export const TransactionSchema = z.object(transactionShape).transform(mergeDiscountKeys);
export type Transaction = z.output<typeof TransactionSchema>;

/**
 * Items of `get-job-data`. The spec's TransactionListJobObject adds the v2 fields, but production
 * omits the last three (FACTS §3 Q7), so they are optional: never rely on them here.
 */
export const JobTransactionSchema = z
  .object({
    ...transactionShape,
    isRecurringPlanSale: z.boolean().optional(),
    isRecurringPlanRedemption: z.boolean().optional(),
    transactionStatus: openEnum(TRANSACTION_STATUSES).optional(),
  })
  .transform(mergeDiscountKeys);
export type JobTransaction = z.output<typeof JobTransactionSchema>;

export const TransactionListResponseSchema = envelope(
  z.object({ transactions: z.array(TransactionListItemSchema), ...pageFields }),
);
export const TransactionListV2ResponseSchema = envelope(
  z.object({ transactions: z.array(TransactionListItemV2Schema), ...pageFields }),
);
export const TransactionResponseSchema = envelope(TransactionSchema);
export const LoadJobResponseSchema = envelope(z.object({ hash: stringish }));
export type LoadJobResult = z.output<typeof LoadJobResponseSchema>['data'];

export const JobDataSchema = z
  .object({
    hash: stringish,
    status: openEnum(JOB_STATUSES),
    // Possibly absent while the job is still working; required once it passed (checked below).
    data: z.array(JobTransactionSchema).nullish(),
    offset: count,
    limit: count,
    total: count,
  })
  .transform(({ data, ...rest }, ctx) => {
    if (rest.status === 'pass' && (data === undefined || data === null)) {
      ctx.issues.push({ code: 'custom', message: 'a passed job must carry a data array', input: data, path: ['data'] });
      return z.NEVER;
    }
    return { ...rest, data: data ?? [] };
  });
export type JobData = z.output<typeof JobDataSchema>;
export const JobDataResponseSchema = envelope(JobDataSchema);
