import { z } from 'zod';
import {
  AccountCustomerSchema,
  RECURRING_STATUS_CHANGE_NAMES,
  RECURRING_STATUS_NAMES,
  TagSchema,
  VehicleSchema,
} from './accounts';
import { envelope, integer, money, nullableMoney, openEnum, pageFields, stringish, text } from './common';

/** `GET /recurring/account/list` items. */
export const RecurringAccountListItemSchema = z.object({
  id: z.string(),
  name: text,
  /** Always null for recurring accounts. */
  balance: nullableMoney,
  /** `YYYY-MM-DD HH:MM:SS` UTC. */
  signUpDate: z.string(),
  /** The cancel date within the filtered period. */
  cancelDate: text,
  billingSiteId: integer,
  customerId: text,
  /** Status code 1–15. */
  status: integer,
  /** Status as of the filtered period. */
  statusName: openEnum(RECURRING_STATUS_NAMES),
  billingSiteCode: stringish,
});
export type RecurringAccountListItem = z.output<typeof RecurringAccountListItemSchema>;

/**
 * `GET /recurring/account/status-list` items. snake_case on the wire (FACTS §2.3), kept as is so
 * the names match the vendor document.
 */
export const RecurringStatusChangeSchema = z.object({
  washbook_account_id: z.string(),
  recurring_id: z.string(),
  old_status: openEnum(RECURRING_STATUS_CHANGE_NAMES),
  new_status: openEnum(RECURRING_STATUS_CHANGE_NAMES),
  /** ISO UTC. */
  status_date: z.string(),
  /** May be a software service rather than a person. */
  employee_name: text,
  site_code: z.string(),
});
export type RecurringStatusChange = z.output<typeof RecurringStatusChangeSchema>;

export const RecurringStatusSchema = z.object({
  /** Single-L `Canceled` here. */
  status: openEnum(['Active', 'Canceled', 'Suspended'] as const),
  date: z.string(),
});

export const RecurringBillingSchema = z.object({
  amountCharged: money,
  date: z.string(),
  /** Masked, e.g. `XXXXXXXXXXXX0572`. */
  lastFourCC: text,
  /** `YYYY-MM`. */
  creditCardExpirationDate: text,
});

/** `GET /recurring/account/{account_id}/detail` and `/recurring/account/details/list` items. */
export const RecurringAccountSchema = z.object({
  id: z.string(),
  isOnTrial: z.boolean(),
  /** `'5.00'` on the wire; ignore when `isOnTrial` is false. */
  trialAmount: nullableMoney,
  billingSiteCode: stringish,
  creationSiteCode: stringish,
  nextBillDate: text,
  tags: z.array(TagSchema),
  vehicles: z.array(VehicleSchema),
  lastBillDate: text,
  /** Last successful bill amount. */
  billingAmount: nullableMoney,
  isSuspended: z.boolean(),
  /** Last day of the suspension. */
  suspendedUntil: text,
  currentRecurringStatusName: openEnum(RECURRING_STATUS_NAMES),
  planName: z.string(),
  customer: AccountCustomerSchema,
  recurringStatuses: z.array(RecurringStatusSchema),
  recurringBillings: z.array(RecurringBillingSchema),
  additionalTagPrice: nullableMoney,
});
export type RecurringAccount = z.output<typeof RecurringAccountSchema>;

/**
 * One modification. The spec says `modificationType/modificationDate/modificationComment`,
 * production sends `name/date/comment` (FACTS §3 Q6); both parse into the production names.
 */
export const RecurringModificationSchema = z
  .object({
    name: text,
    date: text,
    comment: text,
    modificationType: text,
    modificationDate: text,
    modificationComment: text,
  })
  .transform((v, ctx) => {
    const name = v.name ?? v.modificationType;
    const date = v.date ?? v.modificationDate;
    if (name === null || date === null) {
      ctx.issues.push({ code: 'custom', message: 'expected name/date (or modificationType/modificationDate)', input: v });
      return z.NEVER;
    }
    return { name, date, comment: v.comment ?? v.modificationComment };
  });
export type RecurringModification = z.output<typeof RecurringModificationSchema>;

/** `GET /recurring/account/modifications` items. */
export const RecurringModifiedAccountSchema = RecurringAccountSchema.extend({
  modifications: z.array(RecurringModificationSchema),
});
export type RecurringModifiedAccount = z.output<typeof RecurringModifiedAccountSchema>;

/** `modifications` filter codes (FACTS §2.4): 1 Tag Added … 7 Account Status Changed. */
export type RecurringModificationCode = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const RecurringAccountListResponseSchema = envelope(
  z.object({ accounts: z.array(RecurringAccountListItemSchema), ...pageFields }),
);
export const RecurringStatusListResponseSchema = envelope(
  z.object({ accounts: z.array(RecurringStatusChangeSchema), ...pageFields }),
);
export const RecurringModificationsResponseSchema = envelope(
  z.object({ accounts: z.array(RecurringModifiedAccountSchema), ...pageFields }),
);
export const RecurringAccountResponseSchema = envelope(RecurringAccountSchema);
export const RecurringAccountDetailsListResponseSchema = envelope(
  z.object({ accounts: z.array(RecurringAccountSchema), ...pageFields }),
);
