/**
 * A faithful simulator of the Sonny's Carwash Controls Data API over HTTP on loopback: the demo's
 * data source and every test's counterpart. It shares no code with `lib/sonnys/`.
 *
 * ```ts
 * const sim = await startSimulator({ clock: { start: Date.parse('2026-03-10T18:00:00Z'), frozen: true } });
 * const db = sim.world.databases[0]!;
 * await fetch(`${sim.url}/site/list`, { headers: { 'X-Sonnys-API-ID': db.apiId, 'X-Sonnys-API-Key': db.apiKey } });
 * sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-09' }); // sales, car-wash KPIs, labor
 * sim.truth.clockEntries({ database: 'icon', site: 'MESA', from: '2026-03-01', to: '2026-03-09' });
 * await sim.close();
 * ```
 */
import { ControllableClock, type SimClock } from '@/lib/simulator/clock';
import { DEFAULT_GENERATOR_CONFIG } from '@/lib/simulator/generator/day';
import { ClockBook, type ClockEditSpec } from '@/lib/simulator/generator/clock-book';
import { DataStore } from '@/lib/simulator/generator/store';
import { Visibility, type LaterVoidSpec, type OutageSpec } from '@/lib/simulator/generator/visibility';
import { FaultInjector, type FaultOptions } from '@/lib/simulator/http/faults';
import { JobStore } from '@/lib/simulator/http/jobs';
import { DEFAULT_RULES } from '@/lib/simulator/http/rules';
import type { SimRuntime } from '@/lib/simulator/http/runtime';
import type { VisibleTx } from '@/lib/simulator/generator/types';
import { listen } from '@/lib/simulator/http/server';
import { SnapshotCache } from '@/lib/simulator/http/snapshot-cache';
import { Throttle } from '@/lib/simulator/http/throttle';
import type { SimulatorOptions } from '@/lib/simulator/options';
import { Truth } from '@/lib/simulator/truth';
import { DEFAULT_SEED, defaultWorld, SERVER_TIMEZONE, validateWorld, type World } from '@/lib/simulator/world';

export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:54321/v1`. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** The data clock. */
  clock: SimClock;
  /** The wall clock of throttle windows and job build time. */
  wallClock: SimClock;
  truth: Truth;
  world: World;
  /** Add an upload outage (the site's backlog appears when it ends). */
  addOutage(spec: OutageSpec): void;
  /** Make a Completed transaction turn Voided `afterMinutes` after its time. */
  addLaterVoid(spec: LaterVoidSpec): void;
  /** Correct a clock entry's clock-out in BackOffice `afterMinutes` after the original clock-out. */
  addClockEdit(spec: ClockEditSpec): void;
  /** Replace the fault options at run time. */
  setFaults(options: FaultOptions): void;
  /** Forget throttle windows, response caches are kept. */
  resetThrottle(): void;
  /** Drop every response cache (v2, type lists, items, site list, status list). */
  clearCaches(): void;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const world: World = options.databases
    ? { seed: options.seed ?? DEFAULT_SEED, databases: options.databases }
    : defaultWorld(options.seed ?? DEFAULT_SEED);
  validateWorld(world);
  const clock = new ControllableClock(options.clock);
  const wallClock = new ControllableClock(options.wallClock);
  const store = new DataStore(
    world,
    {
      laterVoidRate: options.laterVoids?.rate ?? DEFAULT_GENERATOR_CONFIG.laterVoidRate,
      laterVoidMinutes: options.laterVoids?.minutes ?? DEFAULT_GENERATOR_CONFIG.laterVoidMinutes,
      lateUploadRate: options.lateUploads?.rate ?? DEFAULT_GENERATOR_CONFIG.lateUploadRate,
      lateUploadHours: options.lateUploads?.hours ?? DEFAULT_GENERATOR_CONFIG.lateUploadHours,
      clockEditRate: options.clockEdits?.rate ?? DEFAULT_GENERATOR_CONFIG.clockEditRate,
      clockEditHours: options.clockEdits?.hours ?? DEFAULT_GENERATOR_CONFIG.clockEditHours,
      backOfficeEntryRate: options.clockEdits?.createdRate ?? DEFAULT_GENERATOR_CONFIG.backOfficeEntryRate,
    },
    options.cacheCapacity,
  );
  const clockBook = new ClockBook(world, store.config);
  for (const e of options.clockEdits?.edits ?? []) clockBook.addEdit(e);
  const visibility = new Visibility(store);
  for (const o of options.lateUploads?.outages ?? []) visibility.addOutage(o);
  for (const v of options.laterVoids?.voids ?? []) visibility.addLaterVoid(v);
  const jobOptions = {
    workingMs: options.jobs?.workingMs ?? 2_000,
    failRate: options.jobs?.failRate ?? 0,
    ttlMs: options.jobs?.ttlMs ?? 20 * 60_000,
    includeV2Flags: options.jobs?.includeV2Flags ?? false,
  };
  const caches = {
    v2: new SnapshotCache<VisibleTx[]>(options.caches?.v2Ms ?? 10 * 60_000),
    typeLists: new SnapshotCache<VisibleTx[]>(options.caches?.typeListsMs ?? options.caches?.v2Ms ?? 10 * 60_000),
    items: new SnapshotCache<unknown>(options.caches?.itemsMs ?? 60 * 60_000),
    siteList: new SnapshotCache<unknown>(options.caches?.siteListMs ?? 60 * 60_000),
    statusList: new SnapshotCache<unknown>(options.caches?.statusListMs ?? 60 * 60_000),
  };
  const rt: SimRuntime = {
    world,
    store,
    visibility,
    clockBook,
    clock,
    wallClock,
    throttle: new Throttle(options.throttle ?? {}, () => wallClock.now()),
    faults: new FaultInjector(options.faults),
    rules: { ...DEFAULT_RULES, ...options.rules },
    wire: { discountAmountKey: 'discountAmount', modificationKeys: 'production', ...options.wire },
    sandboxAll: options.sandbox ?? false,
    jobOptions,
    caches,
    jobs: new JobStore(jobOptions, world.seed),
  };
  const front = await listen(rt, { port: options.port ?? 0, host: options.host ?? '127.0.0.1', log: options.log });
  return {
    url: front.url,
    port: front.port,
    close: front.close,
    clock,
    wallClock,
    truth: new Truth(store, visibility, clockBook, clock, options.defaultTimezone ?? SERVER_TIMEZONE),
    world,
    addOutage: (spec) => visibility.addOutage(spec),
    addLaterVoid: (spec) => visibility.addLaterVoid(spec),
    addClockEdit: (spec) => clockBook.addEdit(spec),
    setFaults: (f) => rt.faults.set(f),
    resetThrottle: () => rt.throttle.reset(),
    clearCaches: () => Object.values(caches).forEach((c) => c.clear()),
  };
}

export { defaultWorld, summarizeWorld, DEFAULT_SEED } from '@/lib/simulator/world';
export type { World, DatabaseSpec, SiteSpec, WorldDatabase } from '@/lib/simulator/world';
export type { SimulatorOptions } from '@/lib/simulator/options';
export type { SimClock, ClockOptions } from '@/lib/simulator/clock';
export type {
  Truth,
  DayTruth,
  TruthQuery,
  TruthTransaction,
  TruthClockEntry,
  TruthClockQuery,
  TruthEmployee,
} from '@/lib/simulator/truth';
export type { ClockEditSpec } from '@/lib/simulator/generator/clock-book';
export type { OutageSpec, LaterVoidSpec } from '@/lib/simulator/generator/visibility';
export type { FaultOptions, LatencyRange, MalformedKind } from '@/lib/simulator/http/faults';
export type { ThrottleOptions } from '@/lib/simulator/http/throttle';
export type { RuleOptions } from '@/lib/simulator/http/rules';
export type { JobOptions } from '@/lib/simulator/http/jobs';
export type { TxStatus } from '@/lib/simulator/generator/types';
