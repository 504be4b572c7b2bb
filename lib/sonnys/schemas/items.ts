import { z } from 'zod';
import { envelope, money, nullableMoney, openEnum, pageFields, stringish } from './common';

/** `departmentName` values in responses (FACTS §2.4); the query filter spells them differently. */
export const ITEM_DEPARTMENTS = [
  'Wash', 'Detail', 'Service', 'Merchandise', 'Promotion/Coupon', 'GiftCard', 'WashBook',
  'Recurring Plan', 'Add On', 'Vacuum Sales', 'Prepaid Wash',
] as const;

/** Values of the `departmentName` query filter of `GET /item`. */
export const ITEM_DEPARTMENT_FILTERS = [
  'Wash', 'Detail', 'Service', 'Merchandise', 'Discount', 'GiftCard', 'WashBook', 'Recurring_Plan',
  'Add_On', 'Vacuum_sales', 'Prepaid_Wash', 'Prepaid_vacuum', 'food', 'beverage', 'recipe',
] as const;
export type ItemDepartmentFilter = (typeof ITEM_DEPARTMENT_FILTERS)[number];

export const ItemSchema = z.object({
  sku: stringish,
  name: z.string(),
  departmentName: openEnum(ITEM_DEPARTMENTS),
  /** Always a numeric string on the wire, even for prompt-for-price items. */
  priceAtSite: money,
  costPerItem: nullableMoney,
  isPromptForPrice: z.boolean(),
  siteLocation: z.string(),
});
export type Item = z.output<typeof ItemSchema>;

export const ItemListResponseSchema = envelope(z.object({ items: z.array(ItemSchema), ...pageFields }));
