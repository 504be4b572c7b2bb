/**
 * The item catalogue every simulated site sells: wash packages, add-ons, membership plans,
 * prepaid products and merchandise. Prices are list prices in cents.
 */
import type { DatabaseSpec, SiteSpec } from '@/lib/simulator/world';
import { seedFrom } from '@/lib/simulator/random';

/** `departmentName` values as responses spell them (FACTS §2.4). */
export type Department =
  | 'Wash'
  | 'Detail'
  | 'Service'
  | 'Merchandise'
  | 'Promotion/Coupon'
  | 'GiftCard'
  | 'WashBook'
  | 'Recurring Plan'
  | 'Add On'
  | 'Vacuum Sales'
  | 'Prepaid Wash';

export type WashLevel = 0 | 1 | 2 | 3;

export interface CatalogItem {
  key: string;
  sku: string;
  name: string;
  department: Department;
  priceCents: number;
  costCents: number | null;
  promptForPrice: boolean;
  /** Sales tax rate applied to this line (merchandise only). */
  taxRate: number;
  /** Sold on virtual (e-commerce) sites too. */
  online: boolean;
  /** Wash level for washes and plans (0 = Express ... 3 = Ceramic). */
  level?: WashLevel;
}

const ITEMS: readonly CatalogItem[] = [
  { key: 'WASH_EXPRESS', sku: '100101', name: 'Express Wash', department: 'Wash', priceCents: 1000, costCents: 180, promptForPrice: false, taxRate: 0, online: false, level: 0 },
  { key: 'WASH_DELUXE', sku: '100102', name: 'Deluxe Wash', department: 'Wash', priceCents: 1500, costCents: 240, promptForPrice: false, taxRate: 0, online: false, level: 1 },
  { key: 'WASH_ULTIMATE', sku: '100103', name: 'Ultimate Wash', department: 'Wash', priceCents: 2000, costCents: 310, promptForPrice: false, taxRate: 0, online: false, level: 2 },
  { key: 'WASH_CERAMIC', sku: '100104', name: 'Ceramic Shield Wash', department: 'Wash', priceCents: 2500, costCents: 420, promptForPrice: false, taxRate: 0, online: false, level: 3 },
  { key: 'ADD_TIRE', sku: '200201', name: 'Tire Shine', department: 'Add On', priceCents: 300, costCents: 40, promptForPrice: false, taxRate: 0, online: false },
  { key: 'ADD_RAIN', sku: '200202', name: 'Rain Repellent', department: 'Add On', priceCents: 400, costCents: 55, promptForPrice: false, taxRate: 0, online: false },
  { key: 'ADD_UNDER', sku: '200203', name: 'Underbody Flush', department: 'Add On', priceCents: 300, costCents: 20, promptForPrice: false, taxRate: 0, online: false },
  { key: 'ADD_WAX', sku: '200204', name: 'Hot Carnauba Wax', department: 'Add On', priceCents: 500, costCents: 70, promptForPrice: false, taxRate: 0, online: false },
  { key: 'PLAN_EXPRESS', sku: '300301', name: 'Express Unlimited', department: 'Recurring Plan', priceCents: 1999, costCents: null, promptForPrice: false, taxRate: 0, online: true, level: 0 },
  { key: 'PLAN_DELUXE', sku: '300302', name: 'Deluxe Unlimited', department: 'Recurring Plan', priceCents: 2999, costCents: null, promptForPrice: false, taxRate: 0, online: true, level: 1 },
  { key: 'PLAN_ULTIMATE', sku: '300303', name: 'Ultimate Unlimited', department: 'Recurring Plan', priceCents: 3999, costCents: null, promptForPrice: false, taxRate: 0, online: true, level: 2 },
  { key: 'PLAN_CERAMIC', sku: '300304', name: 'Ceramic Unlimited', department: 'Recurring Plan', priceCents: 4499, costCents: null, promptForPrice: false, taxRate: 0, online: true, level: 3 },
  { key: 'CODE_ULTIMATE', sku: '400401', name: 'Ultimate Wash Code', department: 'Prepaid Wash', priceCents: 2000, costCents: null, promptForPrice: false, taxRate: 0, online: true, level: 2 },
  { key: 'BOOK_DELUXE5', sku: '400402', name: '5 Deluxe Wash Book', department: 'WashBook', priceCents: 6000, costCents: null, promptForPrice: false, taxRate: 0, online: true, level: 1 },
  { key: 'GIFT_CARD', sku: '400403', name: 'Gift Card', department: 'GiftCard', priceCents: 2500, costCents: null, promptForPrice: true, taxRate: 0, online: true },
  { key: 'MERCH_FRESH', sku: '500501', name: 'Air Freshener', department: 'Merchandise', priceCents: 299, costCents: 80, promptForPrice: false, taxRate: 0.0825, online: false },
  { key: 'MERCH_TOWEL', sku: '500502', name: 'Microfiber Towel', department: 'Merchandise', priceCents: 599, costCents: 150, promptForPrice: false, taxRate: 0.0825, online: false },
  { key: 'VAC_TOKEN', sku: '500503', name: 'Vacuum Token', department: 'Vacuum Sales', priceCents: 200, costCents: null, promptForPrice: false, taxRate: 0, online: false },
  { key: 'DETAIL_INT', sku: '600601', name: 'Interior Detail', department: 'Detail', priceCents: 4999, costCents: 1200, promptForPrice: false, taxRate: 0, online: false },
  { key: 'SERVICE_BUG', sku: '600602', name: 'Bug Prep', department: 'Service', priceCents: 200, costCents: 15, promptForPrice: false, taxRate: 0, online: false },
  { key: 'COUPON_5', sku: '700701', name: '$5 Off Coupon', department: 'Promotion/Coupon', priceCents: 500, costCents: null, promptForPrice: false, taxRate: 0, online: false },
];

const BY_KEY = new Map(ITEMS.map((i) => [i.key, i]));

export const WASHES = ['WASH_EXPRESS', 'WASH_DELUXE', 'WASH_ULTIMATE', 'WASH_CERAMIC'] as const;
export const PLANS = ['PLAN_EXPRESS', 'PLAN_DELUXE', 'PLAN_ULTIMATE', 'PLAN_CERAMIC'] as const;
export const ADD_ONS = ['ADD_TIRE', 'ADD_RAIN', 'ADD_UNDER', 'ADD_WAX'] as const;

export function catalogItems(): readonly CatalogItem[] {
  return ITEMS;
}

export function catalogItem(key: string): CatalogItem {
  const item = BY_KEY.get(key);
  if (!item) throw new Error(`Unknown catalogue item ${key}`);
  return item;
}

export function washKey(level: WashLevel): string {
  return WASHES[level];
}

export function planKey(level: WashLevel): string {
  return PLANS[level];
}

/** Items a site sells: everything on physical sites, the online range on virtual ones. */
export function itemsForSite(site: SiteSpec): readonly CatalogItem[] {
  return site.isVirtual ? ITEMS.filter((i) => i.online) : ITEMS;
}

/** Per-database price level: some operators charge a dollar more for washes and plans. */
export function priceAt(db: DatabaseSpec, item: CatalogItem): number {
  const premium = seedFrom(db.key, 'price-level') % 2 === 1;
  if (!premium) return item.priceCents;
  if (item.department === 'Wash' || item.department === 'Recurring Plan' || item.department === 'Prepaid Wash') {
    return item.priceCents + 100;
  }
  return item.priceCents;
}
