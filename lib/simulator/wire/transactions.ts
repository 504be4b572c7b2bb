/**
 * Transaction wire shapes (openapi.yml TransactionListItemObject, ...Version2Object,
 * TransactionObject) with production's deviations: `""` for unset strings on details (FACTS Q4),
 * the singular `discount` list with `discountAmount` entries (Q3), and job items without the v2
 * flags (Q7).
 */
import { catalogItem } from '@/lib/simulator/catalog';
import { cents, type Cents } from '@/lib/simulator/money';
import { isoUtc } from '@/lib/simulator/time';
import type { SimTransaction, TxStatus } from '@/lib/simulator/generator/types';

export interface TransactionListItemWire {
  transNumber: number;
  transId: string;
  total: Cents;
  date: string;
}

export interface TransactionListItemV2Wire extends TransactionListItemWire {
  customerId: string | null;
  isRecurringPlanSale: boolean;
  isRecurringPlanRedemption: boolean;
  transactionStatus: TxStatus;
}

export interface TransactionTenderWire {
  tender: string;
  tenderSubType: string | null;
  amount: Cents;
  change: Cents;
  total: Cents;
  referenceNumber: string | null;
  creditCardLastFour: string | null;
  creditCardExpirationDate: string | null;
}

export interface TransactionItemWire {
  name: string;
  sku: string | null;
  department: string;
  quantity: number;
  gross: Cents;
  net: Cents;
  discount: Cents;
  tax: Cents;
  additionalFee: Cents;
  isVoided: boolean;
}

export type TransactionDiscountWire = {
  discountName: string;
  discountSku: string | null;
  appliedToItemName: string;
  discountCode: string;
} & ({ discountAmount: Cents } | { discount: Cents });

export interface TransactionObjectWire {
  id: string;
  number: number;
  type: SimTransaction['type'];
  completeDate: string;
  locationCode: string;
  salesDeviceName: string;
  total: Cents;
  tenders: TransactionTenderWire[];
  items: TransactionItemWire[];
  customerName: string;
  customerId: string;
  vehicleLicensePlate: string;
  employeeCashier: string;
  employeeGreeter: string;
  discount: TransactionDiscountWire[];
  isRecurringPayment: boolean;
  isRecurringRedemption: boolean;
  isRecurringSale: boolean;
  isPrepaidRedemption: boolean;
  isPrepaidSale: boolean;
  isRecurringPlanSale?: boolean;
  isRecurringPlanRedemption?: boolean;
  transactionStatus?: TxStatus;
}

export interface DetailOptions {
  /** Key of each discount entry's amount: production `discountAmount` or the spec's `discount`. */
  discountAmountKey: 'discountAmount' | 'discount';
  /** Add the v2 fields (TransactionListJobObject); production job items omit them. */
  includeV2Flags: boolean;
  /** Name for a customer ID ("" when unknown). */
  customerName: (customerId: string) => string;
}

export function toListItem(tx: SimTransaction): TransactionListItemWire {
  return { transNumber: tx.number, transId: tx.transId, total: cents(tx.totalCents), date: isoUtc(tx.dateMs) };
}

export function toListItemV2(tx: SimTransaction, status: TxStatus): TransactionListItemV2Wire {
  return {
    ...toListItem(tx),
    customerId: tx.customerId,
    isRecurringPlanSale: tx.isRecurringPlanSale,
    isRecurringPlanRedemption: tx.isRecurringPlanRedemption,
    transactionStatus: status,
  };
}

export function toTransactionObject(tx: SimTransaction, status: TxStatus, opts: DetailOptions): TransactionObjectWire {
  const voided = status === 'Voided';
  const obj: TransactionObjectWire = {
    id: tx.transId,
    number: tx.number,
    type: tx.type,
    completeDate: isoUtc(tx.dateMs),
    locationCode: tx.siteCode,
    salesDeviceName: tx.device,
    total: cents(tx.totalCents),
    tenders: tx.tenders.map((t) => ({
      tender: t.tender,
      tenderSubType: t.subType,
      amount: cents(t.amountCents),
      change: cents(t.changeCents),
      total: cents(t.amountCents + t.changeCents),
      referenceNumber: t.reference,
      creditCardLastFour: t.lastFour,
      creditCardExpirationDate: t.expiry,
    })),
    items: tx.lines.map((l) => {
      const item = catalogItem(l.itemKey);
      const net = l.qty * l.unitCents - l.discountCents;
      return {
        name: item.name,
        sku: item.sku,
        department: item.department,
        quantity: l.qty,
        gross: cents(net + l.taxCents),
        net: cents(net),
        discount: cents(l.discountCents),
        tax: cents(l.taxCents),
        additionalFee: cents(0),
        isVoided: voided,
      };
    }),
    customerName: tx.customerId ? opts.customerName(tx.customerId) : '',
    customerId: tx.customerId ?? '',
    vehicleLicensePlate: tx.plate,
    employeeCashier: tx.cashier,
    employeeGreeter: tx.greeter,
    discount: tx.discounts.map((d) => {
      const base = { discountName: d.name, discountSku: d.sku, appliedToItemName: d.appliedTo, discountCode: d.code };
      return opts.discountAmountKey === 'discount'
        ? { ...base, discount: cents(d.amountCents) }
        : { ...base, discountAmount: cents(d.amountCents) };
    }),
    isRecurringPayment: tx.isRecurringPayment,
    isRecurringRedemption: tx.isRecurringPlanRedemption,
    isRecurringSale: tx.isRecurringSale,
    isPrepaidRedemption: tx.isPrepaidRedemption,
    isPrepaidSale: tx.isPrepaidSale,
  };
  if (opts.includeV2Flags) {
    obj.isRecurringPlanSale = tx.isRecurringPlanSale;
    obj.isRecurringPlanRedemption = tx.isRecurringPlanRedemption;
    obj.transactionStatus = status;
  }
  return obj;
}
