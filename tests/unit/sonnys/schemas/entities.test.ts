/** Spec examples (openapi.yml) and production variants (FACTS §2.3, §3) for the non-transaction schemas. */
import { describe, expect, it } from 'vitest';
import { CustomerListResponseSchema, CustomerResponseSchema } from '@/lib/sonnys/schemas/customers';
import { ClockEntriesResponseSchema, EmployeeListResponseSchema, EmployeeResponseSchema } from '@/lib/sonnys/schemas/employees';
import { GiftcardListResponseSchema } from '@/lib/sonnys/schemas/giftcards';
import { ItemListResponseSchema } from '@/lib/sonnys/schemas/items';
import { SalesOutcomeListResponseSchema } from '@/lib/sonnys/schemas/sales-outcomes';
import { SiteListResponseSchema } from '@/lib/sonnys/schemas/sites';

const page = { offset: 0, limit: 10, total: 22 };

describe('items', () => {
  const specItem = { sku: '253425', name: 'bronze wash', departmentName: 'Wash', priceAtSite: '5.00', costPerItem: '1.00', isPromptForPrice: false, siteLocation: 'MAIN' };

  it('parses the spec example, money strings to numbers', () => {
    const out = ItemListResponseSchema.parse({ data: { items: [specItem], ...page } }).data.items[0];
    expect(out).toEqual({ ...specItem, priceAtSite: 5, costPerItem: 1 });
  });

  it('accepts numeric sku/price, null cost and an unknown department', () => {
    const out = ItemListResponseSchema.parse({ data: { items: [{ ...specItem, sku: 253425, priceAtSite: 5, costPerItem: null, departmentName: 'Food Truck' }], ...page, total: null } }).data;
    expect(out.items[0]).toMatchObject({ sku: '253425', priceAtSite: 5, costPerItem: null, departmentName: 'Food Truck' });
    expect(out.total).toBeNull();
  });
});

describe('customers', () => {
  const specListItem = { customerId: '876:999', firstName: 'John', lastName: 'Doe', phoneNumber: '2134567890', customerNumber: '053088815', isActive: true, createdDate: '2025-01-15 22:03:29', modifiedDate: '2025-01-15 21:34:49' };
  const specCustomer = {
    id: '876:1001', number: '00012345', firstName: 'John', lastName: 'Doe', companyName: 'Enterprise', loyaltyNumber: '00098765',
    address: { address1: '5605 Hiatus Rd.', address2: '', city: 'Tamarac', state: 'FL', country: 'US', postalCode: '33321' },
    phone: '9547204100', email: 'jdoe@example.com', birthDate: '1999-12-31', isActive: true, allowSms: true,
    recurringSmsSignupDate: '2019-04-01T18:05:04.000Z', loyaltySmsSignupDate: '2020-05-02T06:05:04.000Z', modifyDate: '1999-12-31T00:01:02.000Z',
  };

  it('parses the spec list example, and a null modifiedDate (FACTS Q5)', () => {
    expect(CustomerListResponseSchema.parse({ data: { customers: [specListItem], ...page } }).data.customers[0]).toEqual(specListItem);
    expect(CustomerListResponseSchema.parse({ data: { customers: [{ ...specListItem, modifiedDate: null }], ...page } }).data.customers[0]?.modifiedDate).toBeNull();
  });

  it('parses the spec detail example; "" address2 becomes null', () => {
    const out = CustomerResponseSchema.parse({ data: specCustomer }).data;
    expect(out.address?.address2).toBeNull();
    expect(out.address?.city).toBe('Tamarac');
    expect(out.email).toBe('jdoe@example.com');
  });

  it('accepts null companyName and loyaltyNumber (FACTS Q5)', () => {
    const out = CustomerResponseSchema.parse({ data: { ...specCustomer, companyName: null, loyaltyNumber: null } }).data;
    expect([out.companyName, out.loyaltyNumber]).toEqual([null, null]);
  });
});

describe('employees', () => {
  it('parses the list and detail spec examples; the detail example ID is the string "1"', () => {
    expect(EmployeeListResponseSchema.parse({ data: { employees: [{ firstName: 'John', lastName: 'Doe', employeeId: 1 }], ...page } }).data.employees[0]?.employeeId).toBe(1);
    const detail = { employeeId: '1', firstName: 'John', lastName: 'Doe', active: false, startDate: '1999-12-31', startDateChange: '2000-12-31', phone: '1231231234', email: 'john.doe@sonnys.com' };
    const out = EmployeeResponseSchema.parse({ data: detail }).data;
    expect(out.employeeId).toBe(1);
    expect(EmployeeResponseSchema.parse({ data: { ...detail, startDateChange: null } }).data.startDateChange).toBeNull();
  });

  it('parses clock-entry weeks, open shifts included', () => {
    const entry = { clockIn: '2020-05-19T00:01:02.000Z', clockOut: '2020-05-19T00:01:02.000Z', regularRate: 5.4, regularHours: 5.4, overtimeEligible: false, overtimeRate: 5.4, overtimeHours: 2.0, wasModified: false, modificationTimestamp: '2020-05-19T00:01:02.000Z', wasCreatedInBackOffice: false, siteCode: 'MAIN' };
    const body = { data: { weeks: [{ week: '2021-01-08 - 2021-01-14', weekTotalRegularHours: 5.4, weekTotalOverTimeHours: 2, clockEntries: [entry, { ...entry, clockOut: null, regularRate: '12.50' }] }] } };
    const out = ClockEntriesResponseSchema.parse(body).data.weeks[0];
    expect(out?.clockEntries[0]).toEqual(entry);
    expect(out?.clockEntries[1]).toMatchObject({ clockOut: null, regularRate: 12.5 });
  });
});

describe('giftcards', () => {
  const spec = { siteCode: 'SITE1', completeDate: '2020-05-19 08:45:00', number: '253425', value: 7.99, amountUsed: 7.99, giftcardId: '876:999' };
  it('parses the spec example and a null completeDate (FACTS Q5)', () => {
    expect(GiftcardListResponseSchema.parse({ data: { giftcards: [spec], ...page } }).data.giftcards[0]).toEqual(spec);
    const out = GiftcardListResponseSchema.parse({ data: { giftcards: [{ ...spec, completeDate: null, value: '25.00', amountUsed: '0' }], ...page } }).data.giftcards[0];
    expect(out).toMatchObject({ completeDate: null, value: 25, amountUsed: 0 });
  });
});

describe('sites', () => {
  it('parses the spec example, a "" code and a null timezone; no paging fields', () => {
    const out = SiteListResponseSchema.parse({
      data: { sites: [{ siteID: 1, code: 'MAIN', name: 'MAIN SITE - UNIVERSITY DR', timezone: 'America/Chicago' }, { siteID: 2, code: '', name: 'Web store', timezone: null }] },
    }).data.sites;
    expect(out[0]).toEqual({ siteID: 1, code: 'MAIN', name: 'MAIN SITE - UNIVERSITY DR', timezone: 'America/Chicago' });
    expect(out[1]).toEqual({ siteID: 2, code: null, name: 'Web store', timezone: null });
  });
});

describe('sales outcomes', () => {
  it('parses the spec example (siteId given as a number there)', () => {
    const spec = { timestamp: '1123123', employeeId: '1', adpId: 'FZ0X3D000RX0', employeeName: 'Ralph Edwards', siteId: 1, site: '100 - OP Blue Valley', isConverted: 'yes', itemId: '1:999', itemName: 'bronze recurring', itemPrice: '15.00', terminalName: 'POS1' };
    const out = SalesOutcomeListResponseSchema.parse({ data: { sales: [spec], ...page } }).data.sales[0];
    expect(out).toEqual({ ...spec, timestamp: 1123123, siteId: '1', itemPrice: 15 });
  });
});
