/** What every piece of a run's work shares: where to write, what to call, where to queue. */
import { APIUserAbortError, type RequestOptions } from '@/lib/sonnys';
import type { SyncTarget } from './options';
import type { Ingestor } from './ingest';
import type { ProgressReporter } from './progress';
import type { ChunkRow, SyncStore } from './store';
import { Yielded, type WorkQueue } from './work-queue';

export interface RunContext {
  store: SyncStore;
  /** Where a page's data and its cursor commit, together. */
  ingest: Ingestor;
  target: SyncTarget;
  queue: WorkQueue;
  progress: ProgressReporter;
  now: () => number;
  /**
   * Options for every request: the run's current priority and its abort signal, and the job's
   * yield signal as the wait-only signal (see {@link sendOrYield}).
   */
  request: (yieldSignal?: AbortSignal) => RequestOptions;
  /** The zone a site's local days are in (its effective zone, else the database's default). */
  zoneOf: (siteCode: string) => string;
  /** A chunk is done: work waiting for it may go. */
  chunkDone: (chunk: ChunkRow) => void;
}

/**
 * Sends a job's one request with `ctx.request(yieldSignal)`; when exclusive work arrived while the
 * request still waited for a permit (so nothing reached the API), throws {@link Yielded} and the
 * queue runs the job again later. Only for jobs whose whole effect follows this one request.
 */
export async function sendOrYield<T>(yieldSignal: AbortSignal, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (yieldSignal.aborted && error instanceof APIUserAbortError) throw new Yielded();
    throw error;
  }
}

/** The tag a chunk's dependents wait for. */
export const chunkTag = (chunkId: number) => `chunk:${chunkId}`;
