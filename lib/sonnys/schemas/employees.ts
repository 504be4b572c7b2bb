import { z } from 'zod';
import { envelope, integer, money, pageFields, text } from './common';

/** `GET /employee` items. There is no active flag here (FACTS §2.3). */
export const EmployeeListItemSchema = z.object({
  firstName: z.string(),
  lastName: z.string(),
  employeeId: integer,
});
export type EmployeeListItem = z.output<typeof EmployeeListItemSchema>;

export const EmployeeSchema = z.object({
  /** The spec's example is the string `"1"`; output a number either way. */
  employeeId: integer,
  firstName: z.string(),
  lastName: z.string(),
  active: z.boolean(),
  startDate: text,
  /** Nullable in production (FACTS §3 Q5). */
  startDateChange: text,
  phone: text,
  email: text,
});
export type Employee = z.output<typeof EmployeeSchema>;

export const ClockEntrySchema = z.object({
  clockIn: text,
  /** Null while the employee is still clocked in. */
  clockOut: text,
  regularRate: money,
  regularHours: money,
  overtimeEligible: z.boolean(),
  overtimeRate: money,
  overtimeHours: money,
  wasModified: z.boolean(),
  modificationTimestamp: text,
  wasCreatedInBackOffice: z.boolean(),
  /** Entries of every site come back; filter on this (FACTS §3 Q12). */
  siteCode: z.string(),
});
export type ClockEntry = z.output<typeof ClockEntrySchema>;

export const ClockEntryWeekSchema = z.object({
  /** e.g. `2021-01-08 - 2021-01-14`. */
  week: z.string(),
  weekTotalRegularHours: money,
  /** Capital T, as on the wire. */
  weekTotalOverTimeHours: money,
  clockEntries: z.array(ClockEntrySchema),
});
export type ClockEntryWeek = z.output<typeof ClockEntryWeekSchema>;

export const EmployeeListResponseSchema = envelope(z.object({ employees: z.array(EmployeeListItemSchema), ...pageFields }));
export const EmployeeResponseSchema = envelope(EmployeeSchema);
export const ClockEntriesResponseSchema = envelope(z.object({ weeks: z.array(ClockEntryWeekSchema) }));
export type ClockEntries = z.output<typeof ClockEntriesResponseSchema>['data'];
