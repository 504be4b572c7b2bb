/** `/customer` and `/customer/{customer_id}`. */
import { customerCount, findCustomer, generateCustomer, type SimCustomer } from '@/lib/simulator/generator/customers';
import { apiErrors } from '@/lib/simulator/http/errors';
import { listData, readPaging } from '@/lib/simulator/http/paging';
import { ENTITY_ID } from '@/lib/simulator/http/query';
import { serverTimezone, type HandlerResult, type RequestContext } from '@/lib/simulator/http/runtime';
import { isoUtc, localDayOf, localDayRangeMs, monthIndexOf, sqlUtc } from '@/lib/simulator/time';
import { authorizedSites } from '@/lib/simulator/world';

/** How far back customer history goes. */
const HISTORY_MONTHS = 24;

function modified(c: SimCustomer, now: number): number | null {
  return c.modifiedMs !== null && c.modifiedMs <= now ? c.modifiedMs : null;
}

export function listCustomers(ctx: RequestContext): HandlerResult {
  const q = ctx.q;
  const p = readPaging(ctx);
  const firstName = q.string('firstName', { maxLength: 50 });
  const lastName = q.string('lastName', { maxLength: 100 });
  const status = q.enumOf('status', ['active', 'inactive'] as const);
  const tz = serverTimezone(ctx.db);
  const today = localDayOf(ctx.now, tz);
  const start = q.ymd('startDate');
  const end = q.ymd('endDate');
  if (start !== undefined && start > today) q.fail('startDate', 'must not be after today.');
  const phone = q.string('phoneNumber', { minLength: 10, maxLength: 11, pattern: /^\d+$/, patternText: 'must contain digits only.' });
  q.done();
  const startMs = start === undefined ? -Infinity : localDayRangeMs(start, tz).startMs;
  const endMs = end === undefined ? Infinity : localDayRangeMs(end, tz).endMs - 1;
  const bare = (s: string): string => (s.length === 11 && s.startsWith('1') ? s.slice(1) : s);
  const nowMonth = monthIndexOf(today);
  const rows: SimCustomer[] = [];
  for (const site of authorizedSites(ctx.db)) {
    for (let m = nowMonth - HISTORY_MONTHS; m <= nowMonth; m++) {
      const n = customerCount(ctx.rt.world, ctx.db, site, m);
      for (let i = 0; i < n; i++) {
        const c = generateCustomer(ctx.rt.world, ctx.db, site, m, i);
        if (c.createdMs > ctx.now) continue;
        if (firstName && !c.firstName.toLowerCase().startsWith(firstName.toLowerCase())) continue;
        if (lastName && !c.lastName.toLowerCase().startsWith(lastName.toLowerCase())) continue;
        if (status && c.isActive !== (status === 'active')) continue;
        if (c.createdMs < startMs) continue;
        const mod = modified(c, ctx.now);
        if (mod !== null && mod > endMs) continue;
        if (phone && bare(c.phone) !== bare(phone)) continue;
        rows.push(c);
      }
    }
  }
  rows.sort((a, b) => a.createdMs - b.createdMs || (a.id < b.id ? -1 : 1));
  return {
    data: listData('customers', rows, p, (c) => ({
      customerId: c.id,
      firstName: c.firstName,
      lastName: c.lastName,
      phoneNumber: c.phone,
      customerNumber: c.number,
      isActive: c.isActive,
      createdDate: sqlUtc(c.createdMs),
      modifiedDate: modified(c, ctx.now) === null ? null : sqlUtc(c.modifiedMs ?? 0),
    })),
    listKey: 'customers',
  };
}

export function getCustomer(ctx: RequestContext): HandlerResult {
  const id = ctx.params.customer_id ?? '';
  if (!ENTITY_ID.test(id)) {
    ctx.q.fail('customer_id', 'must match the pattern ^\\d+:\\d+$.');
    ctx.q.done();
  }
  if (ctx.sandbox && id === '999:999') throw apiErrors.notFound('The Customer searched for was not found.');
  const c = findCustomer(ctx.rt.world, ctx.db, id);
  if (!c || c.createdMs > ctx.now) throw apiErrors.notFound('The Customer searched for was not found.');
  const mod = modified(c, ctx.now);
  return {
    data: {
      id: c.id,
      number: c.number,
      firstName: c.firstName,
      lastName: c.lastName,
      companyName: c.companyName,
      loyaltyNumber: c.loyaltyNumber,
      address: c.address,
      phone: c.phone,
      email: c.email,
      birthDate: c.birthDate,
      isActive: c.isActive,
      allowSms: c.allowSms,
      recurringSmsSignupDate: c.recurringSmsSignupMs === null ? null : isoUtc(c.recurringSmsSignupMs),
      loyaltySmsSignupDate: c.loyaltySmsSignupMs === null ? null : isoUtc(c.loyaltySmsSignupMs),
      modifyDate: isoUtc(mod ?? c.createdMs),
    },
  };
}
