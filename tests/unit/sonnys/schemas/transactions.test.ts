import { describe, expect, it } from 'vitest';
import {
  JobDataResponseSchema,
  LoadJobResponseSchema,
  TransactionDiscountSchema,
  TransactionListResponseSchema,
  TransactionListV2ResponseSchema,
  TransactionResponseSchema,
} from '@/lib/sonnys/schemas/transactions';

// Examples copied from openapi.yml (TransactionTenderObject, TransactionItemObject, ...).
const specTender = {
  tender: 'Credit',
  tenderSubType: 'Visa',
  amount: 20.0,
  change: -1.0,
  total: 19.0,
  referenceNumber: '62375401832',
  creditCardLastFour: '1111',
  creditCardExpirationDate: '2025-01',
};
const specItem = { name: 'Basic Wash', sku: '1281127182', department: 'Wash', quantity: 1, gross: 8.55, net: 7.99, discount: 0.0, tax: 0.56, additionalFee: 2.9, isVoided: false };
const specDiscount = { discountName: 'Basic Wash Discount', discountSku: '1281127182', appliedToItemName: 'Basic Wash', discount: 2.0, discountCode: '91415818' };
const specTransaction = {
  id: '876:1001',
  number: 253425,
  type: 'Sale',
  completeDate: '2020-05-19T05:32:32.000Z',
  locationCode: 'SITE1',
  salesDeviceName: 'POS1',
  total: 7.99,
  tenders: [specTender],
  items: [specItem],
  customerName: 'John Doe',
  customerId: '1:234',
  vehicleLicensePlate: 'ABC123',
  employeeCashier: 'Mary Jones',
  employeeGreeter: 'Rick Johnson',
  discount: [specDiscount],
  isRecurringPayment: false,
  isRecurringRedemption: false,
  isRecurringSale: false,
  isPrepaidRedemption: false,
  isPrepaidSale: false,
};

describe('transaction lists', () => {
  it('parses the spec example of /transaction', () => {
    const body = { data: { transactions: [{ transNumber: 253425, transId: '876:1001', total: 7.99, date: '2018-05-19T05:32:32.000Z' }], offset: 0, limit: 10, total: 22 } };
    const out = TransactionListResponseSchema.parse(body);
    expect(out.data.transactions[0]).toEqual(body.data.transactions[0]);
    expect(out.data.total).toBe(22);
  });

  it('parses the spec example of /transaction/version-2', () => {
    const t = { transNumber: 253425, transId: '876:1001', total: 7.99, date: '2018-05-19T05:32:32.000Z', customerId: '1:234', isRecurringPlanSale: true, isRecurringPlanRedemption: true, transactionStatus: 'Incomplete' };
    const out = TransactionListV2ResponseSchema.parse({ data: { transactions: [t], offset: 0, limit: 10, total: 22 } });
    expect(out.data.transactions[0]).toEqual(t);
  });

  it('accepts production variants: null total, money as string, "" customerId, unknown status', () => {
    const out = TransactionListV2ResponseSchema.parse({
      data: {
        transactions: [{ transNumber: '7', transId: '1:7', total: '-12.50', date: 'd', customerId: '', isRecurringPlanSale: false, isRecurringPlanRedemption: false, transactionStatus: 'Refunded-Partial' }],
        offset: 1,
        limit: 100,
        total: null,
      },
    });
    const t = out.data.transactions[0];
    expect(t?.total).toBe(-12.5);
    expect(t?.transNumber).toBe(7);
    expect(t?.customerId).toBeNull();
    expect(t?.transactionStatus).toBe('Refunded-Partial');
    expect(out.data.total).toBeNull();
  });

  it('rejects non-numeric money and a missing item array', () => {
    const bad = { transNumber: 1, transId: '1:1', total: 'seven', date: 'd' };
    expect(TransactionListResponseSchema.safeParse({ data: { transactions: [bad], total: 1 } }).success).toBe(false);
    expect(TransactionListResponseSchema.safeParse({ data: { transaction: [], total: 0 } }).success).toBe(false);
  });

  it('rejects a v2 item without its membership flags (they drive revenue)', () => {
    const t = { transNumber: 1, transId: '1:1', total: 1, date: 'd', transactionStatus: 'Completed' };
    expect(TransactionListV2ResponseSchema.safeParse({ data: { transactions: [t], total: 1 } }).success).toBe(false);
  });
});

describe('transaction detail', () => {
  it('parses the spec example and renames the spec discount amount to discountAmount', () => {
    const out = TransactionResponseSchema.parse({ data: specTransaction }).data;
    expect(out.total).toBe(7.99);
    expect(out.tenders[0]).toEqual(specTender);
    expect(out.items[0]).toEqual(specItem);
    expect(out.discount).toEqual([{ discountName: 'Basic Wash Discount', discountSku: '1281127182', appliedToItemName: 'Basic Wash', discountAmount: 2, discountCode: '91415818' }]);
    expect(out).not.toHaveProperty('discounts');
  });

  it('accepts the production discountAmount spelling and a `discounts` key (FACTS Q3)', () => {
    const { discount: _d, ...noDiscount } = specDiscount;
    const prod = { ...noDiscount, discountAmount: '3.25' };
    const out = TransactionResponseSchema.parse({ data: { ...specTransaction, discount: undefined, discounts: [prod] } }).data;
    expect(out.discount[0]?.discountAmount).toBe(3.25);
  });

  it('defaults a missing discount list to []', () => {
    const { discount: _d, ...rest } = specTransaction;
    expect(TransactionResponseSchema.parse({ data: rest }).data.discount).toEqual([]);
  });

  it('fails a discount without any amount, naming the field', () => {
    const { discount: _d, ...noAmount } = specDiscount;
    const r = TransactionDiscountSchema.safeParse(noAmount);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['discountAmount']);
  });

  it('turns "" sentinels into null (FACTS Q4) and keeps unknown tender values', () => {
    const out = TransactionResponseSchema.parse({
      data: {
        ...specTransaction,
        customerName: '',
        customerId: '',
        vehicleLicensePlate: '',
        employeeCashier: '',
        employeeGreeter: null,
        tenders: [{ ...specTender, tender: 'Crypto', tenderSubType: '', amount: '20.00', change: '0', total: '20' }],
      },
    }).data;
    expect([out.customerName, out.customerId, out.vehicleLicensePlate, out.employeeCashier, out.employeeGreeter]).toEqual([null, null, null, null, null]);
    expect(out.tenders[0]).toMatchObject({ tender: 'Crypto', tenderSubType: null, amount: 20, change: 0, total: 20 });
  });
});

describe('load-job', () => {
  it('parses the load-job hash', () => {
    expect(LoadJobResponseSchema.parse({ data: { hash: '1aabac6d068eef6a7bad3fdf50a05cc8' } }).data.hash).toBe('1aabac6d068eef6a7bad3fdf50a05cc8');
  });

  it('parses get-job-data with job items that omit the v2 flags (FACTS Q7)', () => {
    const out = JobDataResponseSchema.parse({ data: { hash: 'h', status: 'pass', data: [specTransaction], offset: 0, limit: 10, total: 22 } }).data;
    expect(out.status).toBe('pass');
    expect(out.data[0]?.isRecurringPlanSale).toBeUndefined();
    expect(out.total).toBe(22);
  });

  it('accepts the spec TransactionListJobObject fields when present', () => {
    const job = { ...specTransaction, isRecurringPlanSale: true, isRecurringPlanRedemption: false, transactionStatus: 'Completed' };
    const out = JobDataResponseSchema.parse({ data: { hash: 'h', status: 'pass', data: [job], total: 1 } }).data;
    expect(out.data[0]?.isRecurringPlanSale).toBe(true);
  });

  it('lets a working job omit data, but not a passed one', () => {
    expect(JobDataResponseSchema.parse({ data: { hash: 'h', status: 'working', data: null, total: null } }).data.data).toEqual([]);
    expect(JobDataResponseSchema.parse({ data: { hash: 'h', status: 'pending' } }).data.status).toBe('pending');
    expect(JobDataResponseSchema.safeParse({ data: { hash: 'h', status: 'pass', total: 3 } }).success).toBe(false);
  });
});
