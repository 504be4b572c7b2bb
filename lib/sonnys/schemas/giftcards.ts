import { z } from 'zod';
import { envelope, money, pageFields, stringish, text } from './common';

export const GiftcardSchema = z.object({
  siteCode: z.string(),
  /** `YYYY-MM-DD HH:MM:SS` UTC, when the card was sold or recharged; nullable in production (FACTS §3 Q5). */
  completeDate: text,
  /** May be alphanumeric. */
  number: stringish,
  /** Amount the card was sold for; outstanding liability is `value - amountUsed`. */
  value: money,
  amountUsed: money,
  giftcardId: z.string(),
});
export type Giftcard = z.output<typeof GiftcardSchema>;

export const GiftcardListResponseSchema = envelope(z.object({ giftcards: z.array(GiftcardSchema), ...pageFields }));
