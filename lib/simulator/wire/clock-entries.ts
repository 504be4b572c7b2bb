/**
 * Clock-entry wire shapes (openapi.yml EmployeeClockEntryObject and the `weeks[]` buckets of
 * `/employee/{employee_id}/clock-entries`). Hours go out as numbers with at most two decimals,
 * rates with exactly two, like the vendor's examples.
 */
import type { ReportedEntry } from '@/lib/simulator/generator/clock-book';
import { cents, type Cents } from '@/lib/simulator/money';
import { isoUtc } from '@/lib/simulator/time';

export interface ClockEntryWire {
  clockIn: string;
  clockOut: string | null;
  regularRate: Cents;
  regularHours: number;
  overtimeEligible: boolean;
  overtimeRate: Cents;
  overtimeHours: number;
  wasModified: boolean;
  modificationTimestamp: string | null;
  wasCreatedInBackOffice: boolean;
  siteCode: string;
}

export interface ClockWeekWire {
  week: string;
  weekTotalRegularHours: number;
  weekTotalOverTimeHours: number;
  clockEntries: ClockEntryWire[];
}

export function toClockEntry(r: ReportedEntry): ClockEntryWire {
  return {
    clockIn: isoUtc(r.entry.clockInMs),
    clockOut: r.clockOutMs === null ? null : isoUtc(r.clockOutMs),
    regularRate: cents(r.employee.regularRateCents),
    regularHours: r.regularHundredths / 100,
    overtimeEligible: r.employee.overtimeEligible,
    overtimeRate: cents(r.employee.overtimeRateCents),
    overtimeHours: r.overtimeHundredths / 100,
    wasModified: r.wasModified,
    modificationTimestamp: r.modifiedMs === null ? null : isoUtc(r.modifiedMs),
    wasCreatedInBackOffice: r.entry.wasCreatedInBackOffice,
    siteCode: r.entry.siteCode,
  };
}

/** One bucket; the totals are sums of the entries' hundredths, so they add up exactly. */
export function toClockWeek(first: string, last: string, rows: readonly ReportedEntry[]): ClockWeekWire {
  let regular = 0;
  let overtime = 0;
  for (const r of rows) {
    regular += r.regularHundredths;
    overtime += r.overtimeHundredths;
  }
  return {
    week: `${first} - ${last}`,
    weekTotalRegularHours: regular / 100,
    weekTotalOverTimeHours: overtime / 100,
    clockEntries: rows.map(toClockEntry),
  };
}
