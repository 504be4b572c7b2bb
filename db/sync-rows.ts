/**
 * The rows the sync hands to storage and gets back. `lib/sync` declares the interfaces it needs
 * (`SyncStore` in store.ts, `Ingestor` in ingest.ts) in these terms; every dialect's implementation
 * in `db/` returns and accepts exactly these. Shaped from the schema, so each column is defined
 * once; dialect-neutral.
 */
import type { ClockEntry, Site, SyncChunk, SyncRun, Transaction } from './schema';

/** What started a run (`sync_runs.trigger`). */
export type Trigger = 'manual' | 'scheduled' | 'cli' | 'startup';
/** `sync_runs.status`. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';
/** What a chunk fetches (`sync_chunks.kind`, see the schema). */
export type ChunkKind = 'transactions' | 'washes' | 'memberships' | 'labor';

/** What a new run is started with (`SyncStore.startRun`). */
export interface StartRun {
  databaseKey: string;
  trigger: Trigger;
  owner: string;
  now: number;
  /** When the new run's lease expires unless renewed. */
  leaseUntil: number;
  priority: 'interactive' | 'background';
  fromDay?: string;
  toDay?: string;
}

export type ChunkRow = Pick<
  SyncChunk,
  'id' | 'runId' | 'siteCode' | 'startUnix' | 'endUnix' | 'fromDay' | 'toDay' | 'ordinal' | 'nextPage' | 'rows' | 'firstFetchedAt' | 'estimatedPages'
> & { kind: ChunkKind; status: 'pending' | 'done' };

/** A chunk to plan: its range, and what it fetches (`transactions` when unsaid). */
export type NewChunk = Pick<ChunkRow, 'siteCode' | 'fromDay' | 'toDay' | 'startUnix' | 'endUnix' | 'estimatedPages'> & { kind?: ChunkKind };

export type RunRow = Pick<SyncRun, 'message' | 'heartbeatAt' | 'startedAt' | 'fromDay' | 'toDay'> & { status: RunStatus };

export type RunProgress = Pick<SyncRun, 'plannedRequests' | 'doneRequests' | 'rows' | 'etaAt'>;

/** A v2 transaction as Washboard stores it (already converted to the site's local time). */
export type StoredTransaction = Pick<
  Transaction,
  'transId' | 'siteCode' | 'transNumber' | 'occurredUnix' | 'localDay' | 'localHour' | 'totalCents' | 'status' | 'isPlanSale' | 'isPlanRedemption' | 'customerId'
> & {
  /** Known only from the wash list; a v2 row arrives without it (null keeps what is stored). */
  isWash?: boolean | null;
  /** Known only from the transaction detail; null keeps what is stored. */
  isNewMembership?: boolean | null;
};

/** A clock entry as Washboard stores it (FACTS §0.1 "Labor"); `localDay` is the clock-in's at the entry's own site. */
export type StoredClockEntry = Omit<ClockEntry, 'databaseKey' | 'syncedAt'>;

/** A flag learnt about a stored transaction (undefined: leave as it is). */
export interface FlagChange {
  transId: string;
  isWash?: boolean;
  isNewMembership?: boolean;
}

/** A site of a database, with the zone its local days are in. */
export type ActiveSite = Pick<Site, 'code' | 'name'> & { timezone: Site['effectiveTimezone'] };

/** A site as stored, for deciding its zone. */
export type KnownSite = Pick<Site, 'code' | 'timezone' | 'effectiveTimezone'>;

/** A `/site/list` entry to store, with the zone decided for it. */
export type ListedSite = Pick<Site, 'code' | 'siteId' | 'name' | 'timezone' | 'timezoneSetting' | 'effectiveTimezone'>;

/** A site's zone as the configuration decides it now. */
export type SiteZone = Pick<Site, 'code' | 'timezoneSetting' | 'effectiveTimezone'>;

/**
 * One unit of the sync's work, written in one transaction: a page's data, the chunk's cursor
 * past it, and (on its last page) what finishing the chunk records. A crash keeps all or none.
 */
export interface PageCommit {
  databaseKey: string;
  /** When the commit happens (rows' `synced_at`, rollups' `updated_at`). */
  at: number;
  /** v2 rows, upserted with the rollups they move. */
  transactions?: readonly StoredTransaction[];
  /** Wash flags or verifications learnt about stored rows (rows not stored yet are skipped). */
  flags?: readonly FlagChange[];
  /** One employee's clock entries fetched for a window of days (entries inside it not returned were deleted). */
  clockEntries?: { employeeId: number; entries: readonly StoredClockEntry[]; window: { fromDay: string; toDay: string } };
  /** The chunk's cursor moves past this page. */
  cursor?: {
    chunkId: number;
    /** The next page number (lists), or the next employee ID (labor). */
    next: number;
    /** Rows this page added to the chunk. */
    rows: number;
    /** When the chunk's first page was requested (the API's snapshot of it). */
    fetchedAt: number;
  };
  /** This page finishes its chunk. */
  complete?: ChunkCompletion;
}

export type ChunkCompletion =
  /** A v2 range: its days are fetched as of `syncedAt` (site_coverage, with each day's end in `timeZone`). */
  | { kind: 'transactions'; chunkId: number; siteCode: string; days: readonly string[]; timeZone: string; syncedAt: number }
  /** A wash list: every Completed row of its days stored by `listedAt` and not on it is not a wash. */
  | { kind: 'washes'; chunkId: number; siteCode: string; fromDay: string; toDay: string; listedAt: number }
  /** A labor window: its days' clock entries are in for every employee as of `syncedAt`. */
  | { kind: 'labor'; chunkId: number; fromDay: string; toDay: string; syncedAt: number };
