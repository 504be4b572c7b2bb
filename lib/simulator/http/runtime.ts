/** Shared state of one running simulator and the context every endpoint handler receives. */
import type { ControllableClock } from '@/lib/simulator/clock';
import type { ClockBook } from '@/lib/simulator/generator/clock-book';
import type { DataStore } from '@/lib/simulator/generator/store';
import type { Visibility } from '@/lib/simulator/generator/visibility';
import type { VisibleTx } from '@/lib/simulator/generator/types';
import { SERVER_TIMEZONE, type DatabaseSpec, type SiteSpec, type World } from '@/lib/simulator/world';
import type { FaultInjector } from '@/lib/simulator/http/faults';
import type { JobStore, JobOptions } from '@/lib/simulator/http/jobs';
import type { RuleOptions } from '@/lib/simulator/http/rules';
import type { SnapshotCache } from '@/lib/simulator/http/snapshot-cache';
import type { Throttle } from '@/lib/simulator/http/throttle';
import type { QueryReader } from '@/lib/simulator/http/query';

export interface WireOptions {
  /** Key of discount amounts in transaction details. @default 'discountAmount' (production, FACTS Q3) */
  discountAmountKey: 'discountAmount' | 'discount';
  /** Recurring modification entries: production `name/date/comment` or spec `modificationType/...` (FACTS Q6). @default 'production' */
  modificationKeys: 'production' | 'spec';
}

export interface SimRuntime {
  world: World;
  store: DataStore;
  visibility: Visibility;
  clockBook: ClockBook;
  clock: ControllableClock;
  wallClock: ControllableClock;
  throttle: Throttle;
  faults: FaultInjector;
  rules: RuleOptions;
  wire: WireOptions;
  sandboxAll: boolean;
  jobOptions: Required<JobOptions>;
  caches: {
    v2: SnapshotCache<VisibleTx[]>;
    typeLists: SnapshotCache<VisibleTx[]>;
    items: SnapshotCache<unknown>;
    siteList: SnapshotCache<unknown>;
    statusList: SnapshotCache<unknown>;
  };
  jobs: JobStore<VisibleTx>;
}

export interface RequestContext {
  rt: SimRuntime;
  db: DatabaseSpec;
  /** Site named by `X-Sonnys-Site-Code`, already checked. */
  headerSite: SiteSpec | null;
  sandbox: boolean;
  q: QueryReader;
  params: Record<string, string>;
  /** Data-clock now, ms, fixed for the whole request. */
  now: number;
  method: string;
}

/** What a handler returns: the value of `data`, and for lists the key of the array. */
export interface HandlerResult {
  data: Record<string, unknown>;
  listKey?: string;
}

export type Handler = (ctx: RequestContext) => HandlerResult;

export function serverTimezone(db: DatabaseSpec): string {
  return db.serverTimezone ?? SERVER_TIMEZONE;
}
