/**
 * Customers, generated per (database, site, calendar month of creation). A customer ID encodes
 * where it lives: `${month * 10000 + index}:${siteId}`, so any ID can be resolved without a table.
 */
import { Rng, seedFrom } from '@/lib/simulator/random';
import { daysInMonth, dayIndexOf, DAY_MS, monthFirstDay } from '@/lib/simulator/time';
import type { DatabaseSpec, SiteSpec, World } from '@/lib/simulator/world';
import { operatingTimezone } from '@/lib/simulator/world';
import { localeFor, personName, phoneNumber, streetAddress } from '@/lib/simulator/generator/names';

export interface SimCustomer {
  id: string;
  number: string;
  siteCode: string;
  firstName: string;
  lastName: string;
  companyName: string | null;
  loyaltyNumber: string | null;
  phone: string;
  email: string | null;
  birthDate: string | null;
  isActive: boolean;
  allowSms: boolean;
  recurringSmsSignupMs: number | null;
  loyaltySmsSignupMs: number | null;
  createdMs: number;
  /** `null` when never modified (nullable in production, FACTS Q5). */
  modifiedMs: number | null;
  address: { address1: string | null; address2: string | null; city: string | null; state: string | null; country: string | null; postalCode: string | null };
}

/** How many customers a site created in a month (cheap: no generation). */
export function customerCount(world: World, db: DatabaseSpec, site: SiteSpec, monthIndex: number): number {
  const base = site.isVirtual ? 8 : 22;
  return base + (seedFrom(world.seed, db.key, site.code, monthIndex, 'customers') % 24);
}

export function customerId(site: SiteSpec, monthIndex: number, index: number): string {
  return `${monthIndex * 10000 + index}:${site.siteId}`;
}

export function generateCustomer(world: World, db: DatabaseSpec, site: SiteSpec, monthIndex: number, index: number): SimCustomer {
  const rng = new Rng(seedFrom(world.seed, db.key, site.code, monthIndex, index, 'customer'));
  const locale = localeFor(operatingTimezone(site));
  const { firstName, lastName } = personName(rng);
  const monthStart = dayIndexOf(monthFirstDay(monthIndex)) * DAY_MS;
  const createdMs = monthStart + Math.floor(rng.next() * daysInMonth(monthIndex) * 86400) * 1000 + 6 * 3_600_000;
  const modified = rng.chance(0.55);
  const modifiedMs = modified ? createdMs + rng.int(1, 400) * 86_400_000 + rng.int(0, 86399) * 1000 : null;
  const hasEmail = rng.chance(0.7);
  const allowSms = rng.chance(0.4);
  const loyalty = rng.chance(0.3);
  const birthYear = rng.int(1950, 2005);
  const birth = rng.chance(0.35)
    ? `${birthYear}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`
    : null;
  const phone = phoneNumber(rng, locale.areaCodes);
  return {
    id: customerId(site, monthIndex, index),
    number: String((monthIndex % 1000) * 100000 + index * 7 + site.siteId).padStart(9, '0'),
    siteCode: site.code,
    firstName,
    lastName,
    companyName: rng.chance(0.06) ? `${lastName} Landscaping LLC` : null,
    loyaltyNumber: loyalty ? rng.digits(8) : null,
    phone: rng.chance(0.1) ? `1${phone}` : phone,
    email: hasEmail ? `${firstName}.${lastName}${rng.int(1, 99)}@example.com`.toLowerCase() : null,
    birthDate: birth,
    isActive: rng.chance(0.92),
    allowSms,
    recurringSmsSignupMs: allowSms && rng.chance(0.5) ? createdMs + 60_000 : null,
    loyaltySmsSignupMs: allowSms && loyalty ? createdMs + 120_000 : null,
    createdMs,
    modifiedMs,
    address: rng.chance(0.8)
      ? {
          address1: streetAddress(rng),
          address2: rng.chance(0.1) ? `Apt ${rng.int(1, 40)}` : '',
          city: locale.city,
          state: locale.state,
          country: 'US',
          postalCode: `${locale.zip}${rng.digits(2)}`,
        }
      : { address1: null, address2: null, city: null, state: null, country: null, postalCode: null },
  };
}

/** Decode an ID made by {@link customerId}; null when it is not one of ours. */
export function decodeCustomerId(db: DatabaseSpec, id: string): { site: SiteSpec; monthIndex: number; index: number } | null {
  const m = /^(\d+):(\d+)$/.exec(id);
  if (!m) return null;
  const left = Number(m[1]);
  const site = db.sites.find((s) => s.siteId === Number(m[2]));
  if (!site || !Number.isSafeInteger(left)) return null;
  return { site, monthIndex: Math.floor(left / 10000), index: left % 10000 };
}

export function findCustomer(world: World, db: DatabaseSpec, id: string): SimCustomer | null {
  const decoded = decodeCustomerId(db, id);
  if (!decoded) return null;
  const { site, monthIndex, index } = decoded;
  if (index >= customerCount(world, db, site, monthIndex)) return null;
  return generateCustomer(world, db, site, monthIndex, index);
}
