import { z } from 'zod';
import { envelope, integer, money, pageFields, stringish, text } from './common';

/** Sales Advisor Tool records. Every field is a string on the wire (FACTS §2.3). */
export const SalesOutcomeSchema = z.object({
  /** Unix seconds, sent as a string; output as a number. */
  timestamp: integer,
  employeeId: stringish,
  adpId: text,
  employeeName: z.string(),
  siteId: stringish,
  /** e.g. `100 - OP Blue Valley`. */
  site: z.string(),
  /** e.g. `yes`. */
  isConverted: z.string(),
  itemId: stringish,
  itemName: z.string(),
  itemPrice: money,
  terminalName: text,
});
export type SalesOutcome = z.output<typeof SalesOutcomeSchema>;

export const SalesOutcomeListResponseSchema = envelope(z.object({ sales: z.array(SalesOutcomeSchema), ...pageFields }));
