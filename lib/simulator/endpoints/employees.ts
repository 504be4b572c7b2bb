/** `/employee`, `/employee/{employee_id}`, `/employee/{employee_id}/clock-entries`. */
import { databaseEmployees, findEmployee, shiftsBetween, siteEmployees, type SimEmployee } from '@/lib/simulator/generator/employees';
import { cents } from '@/lib/simulator/money';
import { apiErrors } from '@/lib/simulator/http/errors';
import { listData, readPaging } from '@/lib/simulator/http/paging';
import { inclusiveDays } from '@/lib/simulator/http/rules';
import { serverTimezone, type HandlerResult, type RequestContext } from '@/lib/simulator/http/runtime';
import { addDays, dayIndexOf, isoUtc, localDayOf } from '@/lib/simulator/time';

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
  const shifts = shiftsBetween(ctx.rt.world, ctx.db, e, start, end).filter((sh) => sh.clockInMs <= ctx.now);
  const weeks: Record<string, unknown>[] = [];
  for (let ws = start; dayIndexOf(ws) <= dayIndexOf(end); ws = addDays(ws, 7)) {
    const we = dayIndexOf(addDays(ws, 6)) < dayIndexOf(end) ? addDays(ws, 6) : end;
    let regular = 0;
    let overtime = 0;
    const entries = shifts
      .filter((sh) => dayIndexOf(sh.day) >= dayIndexOf(ws) && dayIndexOf(sh.day) <= dayIndexOf(we))
      .map((sh) => {
        const out = sh.clockOutMs <= ctx.now ? sh.clockOutMs : null;
        const hours = Math.round(((out ?? ctx.now) - sh.clockInMs) / 36_000) / 100;
        const reg = e.overtimeEligible ? Math.max(0, Math.min(hours, 40 - regular)) : hours;
        const ot = Math.round((hours - reg) * 100) / 100;
        regular = Math.round((regular + reg) * 100) / 100;
        overtime = Math.round((overtime + ot) * 100) / 100;
        return {
          clockIn: isoUtc(sh.clockInMs),
          clockOut: out === null ? null : isoUtc(out),
          regularRate: cents(e.regularRateCents),
          regularHours: Math.round(reg * 100) / 100,
          overtimeEligible: e.overtimeEligible,
          overtimeRate: cents(Math.round(e.regularRateCents * 1.5)),
          overtimeHours: ot,
          wasModified: sh.wasModified,
          modificationTimestamp: sh.modifiedMs === null ? null : isoUtc(sh.modifiedMs),
          wasCreatedInBackOffice: sh.wasCreatedInBackOffice,
          siteCode: sh.siteCode,
        };
      });
    weeks.push({ week: `${ws} - ${we}`, weekTotalRegularHours: regular, weekTotalOverTimeHours: overtime, clockEntries: entries });
  }
  return { data: { weeks } };
}
