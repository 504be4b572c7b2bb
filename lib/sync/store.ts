/**
 * What the sync needs from storage, declared here by the sync and implemented by `db/` (one
 * implementation per dialect; SQLite's is db/sqlite/sync-store.ts, Postgres's the portable db/sync-store.ts): the bookkeeping of runs,
 * leases, planned chunks, coverage, employees and sites. Every method is async, so a server
 * database can satisfy it. Rows come from db/sync-rows.ts (shaped from the schema). A page's data
 * and its cursor commit through the {@link Ingestor} (ingest.ts), in one unit of work; the sync
 * never opens a transaction itself.
 */
import type {
  ActiveSite,
  ChunkKind,
  ChunkRow,
  KnownSite,
  ListedSite,
  NewChunk,
  RunProgress,
  RunRow,
  RunStatus,
  SiteZone,
  StartRun,
  Trigger,
} from '@/db/sync-rows';

export type { ActiveSite, ChunkKind, ChunkRow, NewChunk, RunProgress, RunRow, RunStatus, StartRun, Trigger };

/**
 * A lease not renewed for this long belongs to a process that is gone or stuck: the holder
 * renews it every second, so six missed heartbeats is no hiccup. On this host a dead holder's
 * lease is taken over at once, without waiting for it (see `isClaimLive`).
 */
export const LEASE_MS = 6_000;

export interface SyncStore {
  // ---- Runs and the database's lease ---------------------------------------------------------

  /**
   * Starts a run under the database's lease (expiring at `leaseUntil` unless renewed), or reports
   * the live run that holds it. Atomic across processes: two triggers at once make one run. A
   * run left `running` by a dead holder is recorded as interrupted, so its chunks get adopted.
   */
  startRun(input: StartRun): Promise<{ started: true; runId: number } | { started: false; runId: number }>;
  /** Renews the lease until `leaseUntil` and publishes progress. */
  heartbeat(input: { databaseKey: string; runId: number; owner: string; now: number; leaseUntil: number; progress: RunProgress }): Promise<void>;
  /** Records how a run ended and releases its lease. */
  finishRun(input: { databaseKey: string; runId: number; owner: string; now: number; status: RunStatus; message: string; progress: RunProgress }): Promise<void>;
  getRun(runId: number): Promise<RunRow | undefined>;
  /** Whether the run still holds its database's lease and its holder is alive. */
  isLeaseLive(databaseKey: string, runId: number, now: number): Promise<boolean>;
  /** When the run before `runId` began, if it was interrupted (its explicit range is being finished). */
  interruptedPredecessorStart(databaseKey: string, runId: number): Promise<number | undefined>;

  // ---- A run's chunks ------------------------------------------------------------------------

  /** Pending chunks left by interrupted runs of this database: the new run takes them over. */
  adoptPendingChunks(databaseKey: string, runId: number): Promise<ChunkRow[]>;
  /** Plans chunks for a run, numbered in order from `firstOrdinal`. */
  addChunks(databaseKey: string, runId: number, chunks: readonly NewChunk[], firstOrdinal: number): Promise<void>;
  listChunks(runId: number): Promise<ChunkRow[]>;
  /** A chunk's range narrowed to the days that still need it (a wash list whose other days are in). */
  narrowChunk(chunkId: number, range: { fromDay: string; toDay: string; startUnix: number; endUnix: number }): Promise<void>;
  /** A chunk whose work left nothing to record beyond its rows and flags is done. */
  finishChunk(chunkId: number, now: number): Promise<void>;
  /** Start a chunk over (its snapshot expired): its next pages might no longer line up. */
  restartChunk(chunkId: number): Promise<void>;

  // ---- What is stored, for planning ----------------------------------------------------------

  /** site → day → when the day was last fetched in full. */
  coverage(databaseKey: string): Promise<Map<string, Map<string, number>>>;
  /** Average v2 rows per day over each site's last 28 stored days, for page estimates. */
  rowsPerDay(databaseKey: string): Promise<Map<string, number>>;
  /** site → days still owing KPI data: rows without a wash flag, plan sales not verified. */
  kpiBacklog(databaseKey: string): Promise<{ unclassified: Map<string, string[]>; unverified: Map<string, string[]> }>;
  /** Days of a site's range with Completed transactions not yet checked against the wash list. */
  unclassifiedDays(databaseKey: string, siteCode: string, fromDay: string, toDay: string): Promise<string[]>;
  /** A site-day's Completed plan sales whose detail has not been checked. */
  unverifiedPlanSales(databaseKey: string, siteCode: string, day: string): Promise<string[]>;
  /** Stored transactions of a site between two instants (Unix seconds, inclusive): what a load-job of them returns. */
  countBetween(databaseKey: string, siteCode: string, startUnix: number, endUnix: number): Promise<number>;
  /** day → when every employee's clock entries of that (API) day were last fetched. */
  laborCoverage(databaseKey: string): Promise<Map<string, number>>;
  /** Local days with a clock entry still open (hours still growing). */
  openShiftDays(databaseKey: string): Promise<string[]>;

  // ---- Employees and sites, as the API lists them --------------------------------------------

  /** When `/employee` was last read, and what it listed (IDs ascending). */
  employees(databaseKey: string): Promise<{ refreshedAt: number; ids: number[] }>;
  /** Stores what `/employee` listed; employees no longer listed are kept (their past entries stay theirs). */
  saveEmployees(databaseKey: string, list: readonly { employeeId: number; firstName: string; lastName: string }[], now: number): Promise<void>;
  /** The IDs of the employees `/employee` listed at its last read (the ones whose entries a window fetches). */
  listedEmployees(databaseKey: string): Promise<number[]>;
  /** A database's active sites, and when `/site/list` was last read for it (0: never). */
  siteList(databaseKey: string): Promise<{ refreshedAt: number; sites: ActiveSite[] }>;
  /** Every stored site of a database, removed ones too. */
  knownSites(databaseKey: string): Promise<KnownSite[]>;
  /**
   * Stores a `/site/list` read at `at` (unlisted sites are marked removed, never deleted), moving
   * the stored days of any site whose zone in effect changed. Returns the active sites.
   */
  saveSiteList(databaseKey: string, listed: readonly ListedSite[], at: number): Promise<ActiveSite[]>;
  /** Applies the zones the configuration decides now, moving the days of the sites whose zone changed; returns their codes. */
  applySiteZones(databaseKey: string, zones: readonly SiteZone[], now: number): Promise<string[]>;

  // ---- Small facts shared between processes --------------------------------------------------

  getAppState(key: string): Promise<string | undefined>;
  setAppState(key: string, value: string, now: number): Promise<void>;
}
