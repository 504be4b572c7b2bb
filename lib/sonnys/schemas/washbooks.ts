import { z } from 'zod';
import { AccountCustomerSchema, TagSchema, VehicleSchema } from './accounts';
import { envelope, integer, money, nullableMoney, pageFields, text } from './common';

/** `GET /washbook/account/list` items (non-recurring washbooks). */
export const WashbookListItemSchema = z.object({
  id: z.string(),
  name: text,
  /** Redemptions left; a string such as `"5"` on the wire. 900 and up mean unlimited. */
  balance: money,
  /** `YYYY-MM-DD HH:MM:SS`. */
  signUpDate: z.string(),
  cancelDate: text,
  billingSiteId: integer,
  customerId: text,
  /** Typically `Active` or `Inactive`. */
  status: z.string(),
});
export type WashbookListItem = z.output<typeof WashbookListItemSchema>;

export const WashbookRecurringInfoSchema = z.object({
  currentBillableAmount: money,
  nextBillDate: text,
  lastBillDate: text,
  isOnTrial: z.boolean(),
  remainingTrialPeriods: money,
});

/** `GET /washbook/account/{account_id}/detail`, recurring or not. */
export const WashbookAccountSchema = z.object({
  id: z.string(),
  name: text,
  /** `'5.00'` on the wire; 999 means effectively unlimited. */
  balance: nullableMoney,
  customer: AccountCustomerSchema,
  status: text,
  // Null for non-recurring accounts is tolerated here even though the Python SDK would crash on it (FACTS §2.3).
  recurringInfo: WashbookRecurringInfoSchema.nullish().transform((v) => v ?? null),
  tags: z.array(TagSchema),
  vehicles: z.array(VehicleSchema),
});
export type WashbookAccount = z.output<typeof WashbookAccountSchema>;

export const WashbookListResponseSchema = envelope(z.object({ accounts: z.array(WashbookListItemSchema), ...pageFields }));
export const WashbookAccountResponseSchema = envelope(WashbookAccountSchema);
