/** `/employee`, `/employee/{employee_id}`, `/employee/{employee_id}/clock-entries`. */
import { databaseEmployees, findEmployee, siteEmployees, type SimEmployee } from '@/lib/simulator/generator/employees';
import { apiErrors } from '@/lib/simulator/http/errors';
import { listData, readPaging } from '@/lib/simulator/http/paging';
import { inclusiveDays } from '@/lib/simulator/http/rules';
import { serverTimezone, type HandlerResult, type RequestContext } from '@/lib/simulator/http/runtime';
import { addDays, dayIndexOf, localDayOf } from '@/lib/simulator/time';
import { toClockWeek, type ClockWeekWire } from '@/lib/simulator/wire/clock-entries';

export function listEmployees(ctx: RequestContext): HandlerResult {
  // The spec declares no paging parameters, yet the response has them and the SDK sends them.
  const p = readPaging(ctx);
  ctx.q.done();
  const rows = ctx.headerSite ? siteEmployees(ctx.rt.world, ctx.db, ctx.headerSite) : databaseEmployees(ctx.rt.world, ctx.db);
  return {
    data: listData('employees', rows, p, (e) => ({ firstName: e.firstName, lastName: e.lastName, employeeId: e.employeeId })),
    listKey: 'employees',
  };
}

function employeeParam(ctx: RequestContext, sandboxMissing: string): SimEmployee {
  const raw = ctx.params.employee_id ?? '';
  if (ctx.sandbox && raw === sandboxMissing) throw apiErrors.notFound('The Employee searched for was not found.');
  const e = /^\d+$/.test(raw) ? findEmployee(ctx.rt.world, ctx.db, Number(raw)) : null;
  if (!e) throw apiErrors.notFound('The Employee searched for was not found.');
  return e;
}

export function getEmployee(ctx: RequestContext): HandlerResult {
  const e = employeeParam(ctx, '1');
  return {
    data: {
      employeeId: e.employeeId,
      firstName: e.firstName,
      lastName: e.lastName,
      active: e.active,
      startDate: e.startDate,
      startDateChange: e.startDateChange,
      phone: e.phone,
      email: e.email,
    },
  };
}

/**
 * Entries whose clock-in falls on [startDate, endDate] (local days at the site worked), in 7-day
 * buckets from startDate. Every site's entries come back: there is no site filter (FACTS Q12).
 */
export function getClockEntries(ctx: RequestContext): HandlerResult {
  const e = employeeParam(ctx, '2');
  const max = ctx.rt.rules.clockEntriesMaxDays;
  const today = localDayOf(ctx.now, serverTimezone(ctx.db));
  // FACTS Q11: production takes YYYY-MM-DD; the spec says Unix seconds. Accept both.
  const s = ctx.q.ymdOrUnix('startDate');
  const en = ctx.q.ymdOrUnix('endDate');
  const start = s ?? (en !== undefined ? addDays(en, -(max - 1)) : addDays(today, -(max - 1)));
  const end = en ?? (s !== undefined ? addDays(s, max - 1) : today);
  if (s !== undefined || en !== undefined) {
    if (dayIndexOf(end) < dayIndexOf(start)) ctx.q.fail('endDate', 'must be on or after startDate.');
    else if (inclusiveDays(start, end) > max) ctx.q.fail('endDate', `the date range must not exceed ${max} days.`);
  }
  ctx.q.done();
  const rows = ctx.rt.clockBook.reported(ctx.db, e, start, end, ctx.now);
  const weeks: ClockWeekWire[] = [];
  for (let ws = start; dayIndexOf(ws) <= dayIndexOf(end); ws = addDays(ws, 7)) {
    const we = dayIndexOf(addDays(ws, 6)) < dayIndexOf(end) ? addDays(ws, 6) : end;
    const inWeek = rows.filter((r) => dayIndexOf(r.entry.day) >= dayIndexOf(ws) && dayIndexOf(r.entry.day) <= dayIndexOf(we));
    weeks.push(toClockWeek(ws, we, inWeek));
  }
  return { data: { weeks } };
}
