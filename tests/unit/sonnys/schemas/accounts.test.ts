/** Washbook and recurring account schemas: spec examples and production variants. */
import { describe, expect, it } from 'vitest';
import {
  RecurringAccountDetailsListResponseSchema,
  RecurringAccountListResponseSchema,
  RecurringAccountResponseSchema,
  RecurringModificationsResponseSchema,
  RecurringStatusListResponseSchema,
} from '@/lib/sonnys/schemas/recurring';
import { WashbookAccountResponseSchema, WashbookListResponseSchema } from '@/lib/sonnys/schemas/washbooks';

const page = { offset: 0, limit: 10, total: 22 };
const tag = { id: '876:1001', number: '9870654032190', enabled: true };
const vehicle = { id: '876:1001', plate: 'ABC123' };
const customer = { id: '876:1001', number: '123124324', firstName: 'John', lastName: 'Doe' };

const specRecurringDetail = {
  id: '876:1001',
  isOnTrial: false,
  trialAmount: '5.00',
  billingSiteCode: 'MAIN',
  creationSiteCode: 'MAIN',
  nextBillDate: '1999-12-31',
  tags: [tag],
  vehicles: [vehicle],
  lastBillDate: '2000-12-31',
  billingAmount: '5.00',
  isSuspended: false,
  suspendedUntil: '2000-12-31',
  currentRecurringStatusName: 'Active',
  planName: 'Gold Plan',
  customer,
  recurringStatuses: [{ status: 'Active', date: '2020-05-19T05:32:32.000Z' }],
  recurringBillings: [{ amountCharged: '5.00', date: '2020-05-19T05:32:32.000Z', lastFourCC: 'XXXXXXXXXXXX0572', creditCardExpirationDate: '2020-05' }],
  additionalTagPrice: 10.5,
};

describe('washbooks', () => {
  it('parses the list spec example; balance "5" becomes 5', () => {
    const spec = { id: '876:1001', name: 'Gold Washbook Account Name', balance: '5', signUpDate: '2000-12-30 13:15:15', cancelDate: '2020-12-31 13:15:15', billingSiteId: 5, customerId: '876:1001', status: 'Active' };
    const out = WashbookListResponseSchema.parse({ data: { accounts: [spec], ...page } }).data.accounts[0];
    expect(out).toEqual({ ...spec, balance: 5 });
  });

  it('parses the detail spec example, and a null recurringInfo', () => {
    const spec = {
      id: '876:1001', name: 'Wash Plan', balance: '5.00', customer, status: 'Active',
      recurringInfo: { currentBillableAmount: 5.0, nextBillDate: '2020-01-01', lastBillDate: '2020-01-01', isOnTrial: false, remainingTrialPeriods: 0 },
      tags: [tag], vehicles: [vehicle],
    };
    const out = WashbookAccountResponseSchema.parse({ data: spec }).data;
    expect(out.balance).toBe(5);
    expect(out.recurringInfo?.currentBillableAmount).toBe(5);
    expect(WashbookAccountResponseSchema.parse({ data: { ...spec, recurringInfo: null, customer: null } }).data).toMatchObject({ recurringInfo: null, customer: null });
  });
});

describe('recurring accounts', () => {
  it('parses the list spec example (balance "5" though the spec says always null)', () => {
    const spec = { id: '876:1001', name: 'Gold Washbook Account Name', balance: '5', signUpDate: '2020-05-19 08:45:00', cancelDate: '2020-05-19 08:45:00', billingSiteId: 5, customerId: '876:1001', status: 1, statusName: 'Active', billingSiteCode: 'MAIN' };
    const out = RecurringAccountListResponseSchema.parse({ data: { accounts: [spec, { ...spec, balance: null, statusName: 'Unknown error error' }], ...page } }).data.accounts;
    expect(out[0]).toEqual({ ...spec, balance: 5 });
    expect(out[1]?.balance).toBeNull();
  });

  it('parses the snake_case status list', () => {
    const spec = { washbook_account_id: '876:1001', recurring_id: '876:1001', old_status: 'Declined', new_status: 'Active', status_date: '2020-05-19T08:45:00.000Z', employee_name: 'John Doe', site_code: 'MAIN' };
    const out = RecurringStatusListResponseSchema.parse({ data: { accounts: [spec, { ...spec, new_status: 'Unknown error' }], ...page, total: null } }).data;
    expect(out.accounts[0]).toEqual(spec);
    expect(out.accounts[1]?.new_status).toBe('Unknown error');
  });

  it('does not accept a camelCase status list (the wire is snake_case)', () => {
    const camel = { washbookAccountId: '1:1', recurringId: '1:1', oldStatus: 'Active', newStatus: 'Active', statusDate: 'd', employeeName: 'x', siteCode: 'MAIN' };
    expect(RecurringStatusListResponseSchema.safeParse({ data: { accounts: [camel], ...page } }).success).toBe(false);
  });

  it('parses the detail spec example with money strings as numbers', () => {
    const out = RecurringAccountResponseSchema.parse({ data: specRecurringDetail }).data;
    expect(out).toMatchObject({ trialAmount: 5, billingAmount: 5, additionalTagPrice: 10.5, planName: 'Gold Plan' });
    expect(out.recurringBillings[0]?.amountCharged).toBe(5);
    expect(out.tags).toEqual([tag]);
    expect(RecurringAccountDetailsListResponseSchema.parse({ data: { accounts: [specRecurringDetail], offset: 1, limit: 25, total: 30 } }).data.total).toBe(30);
  });

  it('parses modifications in both the spec and the production entry shapes (FACTS Q6)', () => {
    const specEntry = { modificationType: 'Tag Removed', modificationDate: '2025-01-01 13:15:15', modificationComment: 'Plan price was reduced to $85.50 after cancelled 1 tag.' };
    const prodEntry = { name: 'Tag Added', date: '2025-02-01 10:00:00', comment: null };
    const out = RecurringModificationsResponseSchema.parse({ data: { accounts: [{ ...specRecurringDetail, modifications: [specEntry, prodEntry] }], ...page } }).data.accounts[0];
    expect(out?.modifications).toEqual([
      { name: 'Tag Removed', date: '2025-01-01 13:15:15', comment: 'Plan price was reduced to $85.50 after cancelled 1 tag.' },
      { name: 'Tag Added', date: '2025-02-01 10:00:00', comment: null },
    ]);
  });

  it('rejects a modification entry with neither shape', () => {
    const r = RecurringModificationsResponseSchema.safeParse({ data: { accounts: [{ ...specRecurringDetail, modifications: [{ comment: 'x' }] }], ...page } });
    expect(r.success).toBe(false);
  });
});
