/** What every piece of a run's work shares: where to write, what to call, where to queue. */
import type { RequestOptions } from '@/lib/sonnys';
import type { SyncTarget } from './options';
import type { Ingestor } from './ingest';
import type { ProgressReporter } from './progress';
import type { ChunkRow, SyncStore } from './store';
import type { WorkQueue } from './work-queue';

export interface RunContext {
  store: SyncStore;
  /** Where a page's data and its cursor commit, together. */
  ingest: Ingestor;
  target: SyncTarget;
  queue: WorkQueue;
  progress: ProgressReporter;
  now: () => number;
  /** Options for every request: the run's current priority and its abort signal. */
  request: () => RequestOptions;
  /** The zone a site's local days are in (its effective zone, else the database's default). */
  zoneOf: (siteCode: string) => string;
  /** A chunk is done: work waiting for it may go. */
  chunkDone: (chunk: ChunkRow) => void;
}

/** The tag a chunk's dependents wait for. */
export const chunkTag = (chunkId: number) => `chunk:${chunkId}`;
