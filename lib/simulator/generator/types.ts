/** Internal records of the generator. Money is integer cents; times are epoch ms (whole seconds). */

export type TxStatus =
  | 'Incomplete'
  | 'In-Progress'
  | 'Completed'
  | 'Suspended'
  | 'Voided'
  | 'Recalled'
  | 'Pre-Sell'
  | 'N/A';

export const TX_STATUSES: readonly TxStatus[] = [
  'Incomplete',
  'In-Progress',
  'Completed',
  'Suspended',
  'Voided',
  'Recalled',
  'Pre-Sell',
  'N/A',
];

/** What happened at the counter; drives items, tenders and flags. */
export type TxKind =
  | 'retailWash'
  | 'freeWash'
  | 'redemption'
  | 'planSale'
  | 'planUpgrade'
  | 'recurringPayment'
  | 'prepaidSale'
  | 'washbookSale'
  | 'giftcardSale'
  | 'prepaidRedemption'
  | 'merchandise'
  | 'refund'
  | 'rewash';

/** Path values of `/transaction/type/{item_type}`. */
export type ItemType = 'wash' | 'prepaid-wash' | 'recurring' | 'washbook' | 'giftcard' | 'merchandise' | 'house-account';

export const ITEM_TYPES: readonly ItemType[] = [
  'wash',
  'prepaid-wash',
  'recurring',
  'washbook',
  'giftcard',
  'merchandise',
  'house-account',
];

export interface TxLine {
  itemKey: string;
  /** Negative on refunds. */
  qty: number;
  unitCents: number;
  discountCents: number;
  taxCents: number;
}

export interface TxTender {
  tender: string;
  subType: string | null;
  amountCents: number;
  /** Negative when change is given. */
  changeCents: number;
  reference: string | null;
  lastFour: string | null;
  expiry: string | null;
}

export interface TxDiscount {
  name: string;
  sku: string | null;
  appliedTo: string;
  amountCents: number;
  code: string;
}

export interface SimTransaction {
  transId: string;
  number: number;
  dbKey: string;
  siteCode: string;
  siteId: number;
  /** Generator day (local day in the site's operating zone). */
  day: string;
  dateMs: number;
  kind: TxKind;
  type: 'Sale' | 'Return' | 'Rewash';
  /** Status when first recorded; a later void may change it (see visibility). */
  status: TxStatus;
  totalCents: number;
  isRecurringPlanSale: boolean;
  isRecurringPlanRedemption: boolean;
  isRecurringSale: boolean;
  isRecurringPayment: boolean;
  isPrepaidRedemption: boolean;
  isPrepaidSale: boolean;
  customerId: string | null;
  plate: string;
  cashier: string;
  greeter: string;
  device: string;
  lines: TxLine[];
  tenders: TxTender[];
  discounts: TxDiscount[];
  itemTypes: readonly ItemType[];
  /** When a default (rate-based) later void turns this Completed sale into Voided. */
  laterVoidAtMs: number | null;
}

export interface SimDay {
  dbKey: string;
  siteCode: string;
  day: string;
  timezone: string;
  transactions: SimTransaction[];
  /** Default (rate-based) upload outage of this site-day, if any. */
  outage: { startMs: number; endMs: number } | null;
}

/** A transaction as visible at some data-clock time. */
export interface VisibleTx {
  tx: SimTransaction;
  status: TxStatus;
}
