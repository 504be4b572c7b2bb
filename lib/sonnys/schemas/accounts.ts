/** Pieces shared by washbook and recurring account schemas. */
import { z } from 'zod';
import { stringish, text } from './common';

export const TagSchema = z.object({
  id: z.string(),
  /** The RFID number. */
  number: stringish,
  enabled: z.boolean(),
});
export type Tag = z.output<typeof TagSchema>;

export const VehicleSchema = z.object({
  id: z.string(),
  plate: text,
});
export type Vehicle = z.output<typeof VehicleSchema>;

export const AccountCustomerSchema = z
  .object({ id: text, number: text, firstName: text, lastName: text })
  .nullish()
  .transform((v) => v ?? null);
export type AccountCustomer = z.output<typeof AccountCustomerSchema>;

/** Recurring status names in list and detail payloads; code 15 is spelled `Unknown error error` there (FACTS §2.4). */
export const RECURRING_STATUS_NAMES = [
  'Active', 'Payment Failed', 'Payment CC Expired', 'Payment Retries Exceeded', 'Suspended', 'Expired',
  'Cancelled', 'Declined', 'Authorizer Error', 'Cleared Tokens', 'Changed Authorizer',
  'Payment CC Update Started', 'Payment CC Update Declined', 'Authorizer communication error',
  'Unknown error error',
] as const;
/** Status-list spelling, where code 15 is `Unknown error`. */
export const RECURRING_STATUS_CHANGE_NAMES = [...RECURRING_STATUS_NAMES.slice(0, 14), 'Unknown error'] as const;
/** `recurringAccountStatus` filter codes 1–15 (FACTS §2.4). */
export type RecurringStatusCode = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15;
