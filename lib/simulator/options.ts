/** Options of {@link startSimulator}, with their defaults. */
import type { ClockOptions } from '@/lib/simulator/clock';
import type { ClockEditSpec } from '@/lib/simulator/generator/clock-book';
import type { LaterVoidSpec, OutageSpec } from '@/lib/simulator/generator/visibility';
import type { FaultOptions } from '@/lib/simulator/http/faults';
import type { JobOptions } from '@/lib/simulator/http/jobs';
import type { RuleOptions } from '@/lib/simulator/http/rules';
import type { WireOptions } from '@/lib/simulator/http/runtime';
import type { ThrottleOptions } from '@/lib/simulator/http/throttle';
import type { DatabaseSpec } from '@/lib/simulator/world';

export interface SimulatorOptions {
  /** @default 0 (an ephemeral port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** World seed. @default 1 */
  seed?: number;
  /** Custom databases instead of the demo world (WashU + Icon). */
  databases?: DatabaseSpec[];
  /** Sandbox test values (FACTS §1.7) for every database; per database see `DatabaseSpec.sandbox`. @default false */
  sandbox?: boolean;
  /** Data clock (what "now" is for the data). @default real time */
  clock?: ClockOptions;
  /** Wall clock for throttle windows and job build time. @default real time */
  wallClock?: ClockOptions;
  throttle?: ThrottleOptions;
  /** Truth's zone for sites whose `timezone` is null. @default SERVER_TIMEZONE (world.ts) */
  defaultTimezone?: string;
  rules?: Partial<RuleOptions>;
  /** Cache lifetimes on the data clock, ms. */
  caches?: {
    /** `/transaction/version-2`. @default 600000 (10 min) */
    v2Ms?: number;
    /**
     * `/transaction/type/{item_type}` (the wash list among them). The spec states no cache here [?];
     * built like v2 by default so a wash list and the v2 list read together are one snapshot.
     * @default v2Ms
     */
    typeListsMs?: number;
    /** `/item`. @default 3600000 */
    itemsMs?: number;
    /** `/site/list`. @default 3600000 */
    siteListMs?: number;
    /** `/recurring/account/status-list`. @default 3600000 */
    statusListMs?: number;
  };
  jobs?: JobOptions;
  lateUploads?: {
    /** Share of physical site-days with a default outage. @default 0.03 */
    rate?: number;
    /** Default outage length range, hours. @default [2, 6] */
    hours?: readonly [number, number];
    /** Explicit outages (add more later with `sim.addOutage`). */
    outages?: OutageSpec[];
  };
  laterVoids?: {
    /** Share of Completed sales voided later. @default 0.004 */
    rate?: number;
    /** Delay range, minutes. @default [5, 90] */
    minutes?: readonly [number, number];
    /** Explicit later voids (add more later with `sim.addLaterVoid`). */
    voids?: LaterVoidSpec[];
  };
  /** BackOffice corrections and creations of clock entries after the shift. */
  clockEdits?: {
    /** Share of clock entries whose clock-out a manager corrects after the shift. @default 0.04 */
    rate?: number;
    /** Delay of a correction after the original clock-out, hours. @default [12, 40] */
    hours?: readonly [number, number];
    /** Share of entries a manager creates in BackOffice, 1-6 hours after the shift ends. @default 0.015 */
    createdRate?: number;
    /** Explicit corrections (add more later with `sim.addClockEdit`). */
    edits?: ClockEditSpec[];
  };
  faults?: FaultOptions;
  wire?: Partial<WireOptions>;
  /** Max (site, day) blocks kept in memory. @default 512 */
  cacheCapacity?: number;
  /** Receives unexpected handler failures. @default none */
  log?: (line: string) => void;
}
