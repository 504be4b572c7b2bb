/**
 * Sandbox canned transaction details (openapi.yml `/transaction/{trans_id}` "Testing"): the last
 * digit before the colon picks the tender (FACTS §1.7).
 */
import { Rng, seedFrom } from '@/lib/simulator/random';
import type { RequestContext } from '@/lib/simulator/http/runtime';
import { cents } from '@/lib/simulator/money';
import { isoUtc } from '@/lib/simulator/time';

const TENDERS: Record<string, { tender: string; subType: string | null }> = {
  '1': { tender: 'Prepaid', subType: 'RFID' },
  '2': { tender: 'Prepaid', subType: 'RFID Recurring' },
  '3': { tender: 'Prepaid', subType: 'LPR' },
  '4': { tender: 'Prepaid', subType: 'Giftcard' },
  '5': { tender: 'Paid On Account', subType: 'House Account RFID' },
  '6': { tender: 'Prepaid Wash', subType: null },
};

export function sandboxTransaction(ctx: RequestContext, id: string): Record<string, unknown> {
  const [left = '0'] = id.split(':');
  const digit = left.slice(-1);
  const rng = new Rng(seedFrom(ctx.rt.world.seed, 'sandbox', id));
  const tender =
    digit === '0'
      ? { tender: 'Credit', subType: rng.pick(['Visa', 'MasterCard', 'Discover', 'Amex']) }
      : (TENDERS[digit] ?? { tender: 'Cash', subType: null });
  const site = ctx.headerSite ?? ctx.db.sites[0];
  const total = 799;
  const tax = 56;
  return {
    id,
    number: Number(left),
    type: 'Sale',
    completeDate: isoUtc(Math.floor(ctx.now / 1000) * 1000 - 3_600_000),
    locationCode: site?.code ?? 'MAIN',
    salesDeviceName: 'POS1',
    total: cents(total + tax),
    tenders: [
      {
        tender: tender.tender,
        tenderSubType: tender.subType,
        amount: cents(total + tax),
        change: cents(0),
        total: cents(total + tax),
        referenceNumber: rng.digits(11),
        creditCardLastFour: tender.tender === 'Credit' ? rng.digits(4) : null,
        creditCardExpirationDate: tender.tender === 'Credit' ? '2028-01' : null,
      },
    ],
    items: [
      { name: 'Basic Wash', sku: '1281127182', department: 'Wash', quantity: 1, gross: cents(total + tax), net: cents(total), discount: cents(0), tax: cents(tax), additionalFee: cents(0), isVoided: false },
    ],
    customerName: '',
    customerId: '',
    vehicleLicensePlate: '',
    employeeCashier: 'Mary Jones',
    employeeGreeter: '',
    discount: [],
    isRecurringPayment: false,
    isRecurringRedemption: false,
    isRecurringSale: false,
    isPrepaidRedemption: false,
    isPrepaidSale: false,
  };
}
