/**
 * Lazy access to generated data: (site, local day) blocks are generated on first use and kept in a
 * bounded LRU, never materialised up front. Range queries collect the blocks that can overlap.
 */
import { addDays, dayFromIndex, dayIndexOf, localDayOf } from '@/lib/simulator/time';
import type { DatabaseSpec, SiteSpec, World } from '@/lib/simulator/world';
import { operatingTimezone } from '@/lib/simulator/world';
import { generateDay, SEQ_PER_DAY, type GeneratorConfig } from '@/lib/simulator/generator/day';
import type { SimDay, SimTransaction } from '@/lib/simulator/generator/types';

/** How far back the simulated BackOffice keeps history, days. */
export const HISTORY_DAYS = 730;

export class DataStore {
  private readonly days = new Map<string, SimDay>();

  constructor(
    readonly world: World,
    readonly config: GeneratorConfig,
    /** Max (site, day) blocks kept in memory. */
    private readonly capacity = 512,
  ) {}

  database(key: string): DatabaseSpec {
    const db = this.world.databases.find((d) => d.key === key);
    if (!db) throw new Error(`Unknown database ${key}`);
    return db;
  }

  site(db: DatabaseSpec, code: string): SiteSpec {
    const site = db.sites.find((s) => s.code === code);
    if (!site) throw new Error(`Unknown site ${code} in ${db.key}`);
    return site;
  }

  day(db: DatabaseSpec, site: SiteSpec, day: string): SimDay {
    const key = `${db.key}|${site.code}|${day}`;
    const hit = this.days.get(key);
    if (hit) {
      this.days.delete(key);
      this.days.set(key, hit);
      return hit;
    }
    const generated = generateDay(this.world, db, site, day, this.config);
    this.days.set(key, generated);
    if (this.days.size > this.capacity) {
      const oldest = this.days.keys().next().value;
      if (oldest !== undefined) this.days.delete(oldest);
    }
    return generated;
  }

  /** Every generated transaction of `site` with `startMs <= date <= endMs`, in time order. */
  transactionsInRange(db: DatabaseSpec, site: SiteSpec, startMs: number, endMs: number): SimTransaction[] {
    const tz = operatingTimezone(site);
    // A local day can straddle UTC days, and recurring billing runs in the small hours: one day
    // of margin either side covers every block that may hold a matching transaction.
    const first = dayIndexOf(localDayOf(startMs, tz)) - 1;
    const last = dayIndexOf(localDayOf(endMs, tz)) + 1;
    const out: SimTransaction[] = [];
    for (let i = first; i <= last; i++) {
      for (const tx of this.day(db, site, dayFromIndex(i)).transactions) {
        if (tx.dateMs >= startMs && tx.dateMs <= endMs) out.push(tx);
      }
    }
    return out;
  }

  /** Local days (operating zone) a UTC range touches, inclusive. */
  daysInRange(site: SiteSpec, startMs: number, endMs: number): string[] {
    const tz = operatingTimezone(site);
    const out: string[] = [];
    for (let d = localDayOf(startMs, tz); dayIndexOf(d) <= dayIndexOf(localDayOf(endMs, tz)); d = addDays(d, 1)) out.push(d);
    return out;
  }

  /**
   * Resolve a transId (`${dayIndex * 1000 + seq}:${siteId}`) without scanning. History is
   * kept for `HISTORY_DAYS` before `nowMs`; older IDs are not found.
   */
  findTransaction(db: DatabaseSpec, transId: string, nowMs: number): SimTransaction | null {
    const m = /^(\d+):(\d+)$/.exec(transId);
    if (!m) return null;
    const number = Number(m[1]);
    const site = db.sites.find((s) => s.siteId === Number(m[2]));
    if (!site || !Number.isSafeInteger(number)) return null;
    const dayIndex = Math.floor(number / SEQ_PER_DAY);
    const nowDay = Math.floor(nowMs / 86_400_000);
    if (dayIndex < nowDay - HISTORY_DAYS || dayIndex > nowDay + 1) return null;
    const day = this.day(db, site, dayFromIndex(dayIndex));
    return day.transactions.find((t) => t.number === number) ?? null;
  }
}
