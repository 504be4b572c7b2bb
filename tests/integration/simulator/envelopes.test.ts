import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, NOW, sec, type Harness, type Wire } from './helpers';

const keysOf = (o: object): string[] => Object.keys(o).sort();
const ID = /^\d+:\d+$/;

describe('every endpoint answers with the documented envelope and field names', () => {
  let h: Harness;
  let transId: string;
  let planSaleId: string;
  let washbookId: string;
  beforeAll(async () => {
    h = await harness();
    const t = h.sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-07' });
    const r = await h.call(`/transaction/version-2?site=JOLIET&startDate=${t.startUtcSec}&endDate=${t.endUtcSec}&limit=100`);
    transId = r.body.data.transactions[10].transId;
    const start = sec(NOW) - 25 * 86_400;
    const accounts = await h.call(`/recurring/account/list?startDate=${start}&endDate=${sec(NOW)}&limit=1`);
    planSaleId = accounts.body.data.accounts[0].id;
    const books = await h.call(`/washbook/account/list?startDate=${start}&endDate=${sec(NOW)}&limit=1`);
    washbookId = books.body.data.accounts[0].id;
  });
  afterAll(() => h.sim.close());

  async function list(path: string, key: string, itemKeys: string[]): Promise<Wire[]> {
    const r = await h.call(path);
    expect(r.status, `${path} ${r.text.slice(0, 300)}`).toBe(200);
    expect(keysOf(r.body)).toEqual(['data']);
    expect(keysOf(r.body.data)).toEqual([key, 'limit', 'offset', 'total'].sort());
    expect(Number.isInteger(r.body.data.total)).toBe(true);
    const rows = r.body.data[key] as Wire[];
    expect(rows.length, path).toBeGreaterThan(0);
    for (const row of rows) expect(keysOf(row), path).toEqual([...itemKeys].sort());
    return rows;
  }

  it('/item', async () => {
    const rows = await list('/item?limit=100', 'items', ['sku', 'name', 'departmentName', 'priceAtSite', 'costPerItem', 'isPromptForPrice', 'siteLocation']);
    expect(rows.every((i) => /^\d+\.\d{2}$/.test(i.priceAtSite))).toBe(true);
    expect(rows.some((i) => i.costPerItem === null)).toBe(true);
    const plans = await list('/item?departmentName=Recurring_Plan', 'items', keysOf(rows[0]));
    expect(plans.every((i) => i.departmentName === 'Recurring Plan')).toBe(true);
  });

  it('/transaction, /transaction/type/*, /transaction/version-2', async () => {
    const v1 = await list('/transaction?limit=20', 'transactions', ['transNumber', 'transId', 'total', 'date']);
    expect(v1.every((t) => ID.test(t.transId) && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(t.date))).toBe(true);
    for (const type of ['wash', 'prepaid-wash', 'recurring', 'washbook', 'giftcard', 'merchandise', 'house-account']) {
      const r = await h.call(`/transaction/type/${type}?startDate=${sec(NOW) - 7 * 86_400}&limit=5`);
      expect(r.status).toBe(200);
      expect(r.body.data.transactions.length, type).toBeGreaterThan(0);
    }
    const v2 = await list('/transaction/version-2?limit=100', 'transactions', ['transNumber', 'transId', 'total', 'date', 'customerId', 'isRecurringPlanSale', 'isRecurringPlanRedemption', 'transactionStatus']);
    expect(v2.some((t) => t.customerId === null)).toBe(true);
  });

  it('/transaction/{id} (TransactionObject with production spellings)', async () => {
    const r = await h.call(`/transaction/${transId}`);
    expect(keysOf(r.body.data)).toEqual(
      ['id', 'number', 'type', 'completeDate', 'locationCode', 'salesDeviceName', 'total', 'tenders', 'items', 'customerName', 'customerId', 'vehicleLicensePlate', 'employeeCashier', 'employeeGreeter', 'discount', 'isRecurringPayment', 'isRecurringRedemption', 'isRecurringSale', 'isPrepaidRedemption', 'isPrepaidSale'].sort(),
    );
    for (const item of r.body.data.items) expect(keysOf(item)).toEqual(['name', 'sku', 'department', 'quantity', 'gross', 'net', 'discount', 'tax', 'additionalFee', 'isVoided'].sort());
    for (const t of r.body.data.tenders) expect(keysOf(t)).toEqual(['tender', 'tenderSubType', 'amount', 'change', 'total', 'referenceNumber', 'creditCardLastFour', 'creditCardExpirationDate'].sort());
    expect(typeof r.body.data.customerId).toBe('string'); // "" when unset (FACTS Q4)
  });

  it('/customer and /customer/{id}', async () => {
    const rows = await list('/customer?limit=20', 'customers', ['customerId', 'firstName', 'lastName', 'phoneNumber', 'customerNumber', 'isActive', 'createdDate', 'modifiedDate']);
    expect(rows[0].createdDate).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const d = await h.call(`/customer/${rows[0].customerId}`);
    expect(keysOf(d.body.data)).toEqual(['id', 'number', 'firstName', 'lastName', 'companyName', 'loyaltyNumber', 'address', 'phone', 'email', 'birthDate', 'isActive', 'allowSms', 'recurringSmsSignupDate', 'loyaltySmsSignupDate', 'modifyDate'].sort());
    expect(keysOf(d.body.data.address)).toEqual(['address1', 'address2', 'city', 'state', 'country', 'postalCode'].sort());
    const phone = await h.call(`/customer?phoneNumber=1${rows[0].phoneNumber.replace(/^1/, '')}`);
    expect(phone.body.data.customers.map((c: Wire) => c.customerId)).toContain(rows[0].customerId);
  });

  it('/employee, /employee/{id}, clock entries', async () => {
    const rows = await list('/employee', 'employees', ['firstName', 'lastName', 'employeeId']);
    const d = await h.call(`/employee/${rows[0].employeeId}`);
    expect(keysOf(d.body.data)).toEqual(['employeeId', 'firstName', 'lastName', 'active', 'startDate', 'startDateChange', 'phone', 'email'].sort());
    const c = await h.call(`/employee/${rows[0].employeeId}/clock-entries?startDate=2026-02-25&endDate=2026-03-10`);
    expect(keysOf(c.body.data)).toEqual(['weeks']);
    const week = c.body.data.weeks[0];
    expect(keysOf(week)).toEqual(['week', 'weekTotalRegularHours', 'weekTotalOverTimeHours', 'clockEntries'].sort());
    expect(week.week).toBe('2026-02-25 - 2026-03-03');
    const entries = c.body.data.weeks.flatMap((w: Wire) => w.clockEntries);
    expect(entries.length).toBeGreaterThan(0);
    expect(keysOf(entries[0])).toEqual(['clockIn', 'clockOut', 'regularRate', 'regularHours', 'overtimeEligible', 'overtimeRate', 'overtimeHours', 'wasModified', 'modificationTimestamp', 'wasCreatedInBackOffice', 'siteCode'].sort());
  });

  it('/giftcard-liablilty', async () => {
    const rows = await list(`/giftcard-liablilty?startDate=${sec(NOW) - 14 * 86_400}&endDate=${sec(NOW)}`, 'giftcards', ['siteCode', 'completeDate', 'number', 'value', 'amountUsed', 'giftcardId']);
    expect(rows.every((g) => g.amountUsed <= g.value)).toBe(true);
  });

  it('recurring lists and details', async () => {
    const start = sec(NOW) - 25 * 86_400;
    const detailKeys = ['id', 'isOnTrial', 'trialAmount', 'billingSiteCode', 'creationSiteCode', 'nextBillDate', 'tags', 'vehicles', 'lastBillDate', 'billingAmount', 'isSuspended', 'suspendedUntil', 'currentRecurringStatusName', 'planName', 'customer', 'recurringStatuses', 'recurringBillings', 'additionalTagPrice'];
    await list(`/recurring/account/list?startDate=${start}&endDate=${sec(NOW)}`, 'accounts', ['id', 'name', 'balance', 'signUpDate', 'cancelDate', 'billingSiteId', 'customerId', 'status', 'statusName', 'billingSiteCode']);
    await list(`/recurring/account/details/list?startDate=${start}&endDate=${sec(NOW)}`, 'accounts', detailKeys);
    await list('/recurring/account/modifications?startDate=2026-01-01&endDate=2026-03-10', 'accounts', [...detailKeys, 'modifications']);
    const mods = (await h.call('/recurring/account/modifications?startDate=2026-01-01&endDate=2026-03-10')).body.data.accounts[0].modifications;
    expect(keysOf(mods[0])).toEqual(['comment', 'date', 'name']);
    await list(`/recurring/account/status-list?startDate=${sec(NOW) - 20 * 86_400}&endDate=${sec(NOW)}`, 'accounts', ['washbook_account_id', 'recurring_id', 'old_status', 'new_status', 'status_date', 'employee_name', 'site_code']);
    const d = await h.call(`/recurring/account/${planSaleId}/detail`);
    expect(keysOf(d.body.data)).toEqual([...detailKeys].sort());
    expect(d.body.data.recurringBillings.every((b: Wire) => /^X{12}\d{4}$/.test(b.lastFourCC))).toBe(true);
  });

  it('washbook list and details', async () => {
    const start = sec(NOW) - 25 * 86_400;
    await list(`/washbook/account/list?startDate=${start}&endDate=${sec(NOW)}`, 'accounts', ['id', 'name', 'balance', 'signUpDate', 'cancelDate', 'billingSiteId', 'customerId', 'status']);
    for (const id of [washbookId, planSaleId]) {
      const d = await h.call(`/washbook/account/${id}/detail`);
      expect(keysOf(d.body.data)).toEqual(['id', 'name', 'balance', 'customer', 'status', 'recurringInfo', 'tags', 'vehicles'].sort());
      expect(keysOf(d.body.data.recurringInfo)).toEqual(['currentBillableAmount', 'nextBillDate', 'lastBillDate', 'isOnTrial', 'remainingTrialPeriods'].sort());
    }
  });

  it('/site/list (no paging) and /sales-outcome/list', async () => {
    const s = await h.call('/site/list', { db: 'icon' });
    expect(keysOf(s.body.data)).toEqual(['sites']);
    expect(s.body.data.sites).toHaveLength(4);
    await list('/sales-outcome/list?startDate=2026-03-01&endDate=2026-03-09', 'sales', ['timestamp', 'employeeId', 'adpId', 'employeeName', 'siteId', 'site', 'isConverted', 'itemId', 'itemName', 'itemPrice', 'terminalName']);
  });

  it('sells online on the virtual site only through e-commerce', async () => {
    const r = await h.call(`/transaction/version-2?site=ICONWEB&startDate=${sec(NOW) - 3 * 86_400}&limit=100`, { db: 'icon' });
    const rows = r.body.data.transactions;
    expect(rows.length).toBeGreaterThan(0);
    const d = await h.call(`/transaction/${rows[0].transId}`, { db: 'icon' });
    expect(d.body.data.salesDeviceName).toBe('ECOMMERCE');
    expect(d.body.data.items.every((i: Wire) => ['Recurring Plan', 'Prepaid Wash', 'GiftCard', 'WashBook', 'Wash'].includes(i.department))).toBe(true);
  });
});
