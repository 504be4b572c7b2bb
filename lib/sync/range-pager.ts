/**
 * Fetching a chunk's range from a list endpoint page by page (the v2 list and the wash list), with
 * the pages committed in order so the stored cursor always means "every page before it is in".
 *
 * A range starts with one page; once the API says how many rows the range has, its other pages are
 * queued at the front and fetched in parallel, so the last window is not spent on one range paging
 * sequentially. With a null total (production sometimes sends one, FACTS §3 Q2) the range pages one
 * at a time to its short page. A page that arrives early waits in memory for the ones before it
 * (a crash refetches only those). This module owns that order: commits of a range run one after
 * another, each page's data with the cursor past it in one unit of work (`Ingestor.ingestPage`).
 *
 * A range fetched again (today and yesterday, a recheck) already has rows stored, and the API never
 * drops a transaction from its list (a void changes its status), so the range has at least a page
 * per 100 of them: those pages are all queued at once instead of after the first page's answer,
 * which saves Sync now a round trip, or a window when the first pages take the last slots of one.
 */
import type { Page } from '@/lib/sonnys';
import type { PageCommit } from './ingest';
import { PAGE_SIZE } from './planner';
import { sendOrYield, type RunContext } from './run-context';
import type { ChunkRow } from './store';

/** What one page writes besides the cursor: its data, and on the range's last page what completes it. */
export type PageWrite = Pick<PageCommit, 'transactions' | 'flags' | 'complete'>;

/** The API serves a list query from a 10-minute snapshot (FACTS §2.2 #5): resume only well inside it. */
export const SNAPSHOT_SAFE_MS = 9 * 60 * 1000;

export interface ListSpec<T> {
  /** For failure messages: `GET /transaction/version-2`. */
  endpoint: string;
  /** One page of the chunk's range. */
  fetch: (chunk: ChunkRow, page: number, yieldSignal: AbortSignal) => Promise<Page<T>>;
  /**
   * What one page stores (committed with the cursor's move); `complete` on the range's last page.
   * `fetchedAt` is when the range's first page was requested (the snapshot the pages come from).
   * `rows` is what the run counts as stored.
   */
  write: (chunk: ChunkRow, items: T[], info: { page: number; complete: boolean; fetchedAt: number }) => { write: PageWrite; rows: number };
  /** Rows of the range already stored, when every one of them is sure to be listed again. */
  knownRows?: number;
}

interface RangeState {
  firstPage: number;
  /** Pages fetched so far in this run. */
  fetched: number;
  lastPage: number | null;
  scheduled: Set<number>;
  arrived: Map<number, unknown[]>;
  fetchedAt: number | null;
  /** The commits in progress: each page that arrives chains its commits here, so they run in page order. */
  committing: Promise<void>;
}

/** Queues a chunk's pages (from its cursor) at `priority`. */
export async function startRange<T>(ctx: RunContext, chunk: ChunkRow, priority: number, spec: ListSpec<T>): Promise<void> {
  const { store, now } = ctx;
  if (chunk.nextPage > 1 && (chunk.firstFetchedAt === null || now() - chunk.firstFetchedAt > SNAPSHOT_SAFE_MS)) {
    // The snapshot the earlier pages came from is gone: later pages might no longer line up.
    await store.restartChunk(chunk.id);
    chunk.nextPage = 1;
    chunk.firstFetchedAt = null;
  }
  const known = chunk.nextPage === 1 && spec.knownRows ? Math.max(1, Math.ceil(spec.knownRows / PAGE_SIZE)) : 1;
  const firstPages = Array.from({ length: known }, (_, i) => chunk.nextPage + i);
  const state: RangeState = {
    firstPage: chunk.nextPage,
    fetched: 0,
    lastPage: null,
    scheduled: new Set(firstPages),
    arrived: new Map(),
    fetchedAt: chunk.firstFetchedAt,
    committing: Promise.resolve(),
  };

  /** Commits every page that is next in line, one unit of work each, in page order. */
  const commitReady = async (fetchedAt: number) => {
    for (let ready = state.arrived.get(chunk.nextPage); ready; ready = state.arrived.get(chunk.nextPage)) {
      const committedPage = chunk.nextPage;
      state.arrived.delete(committedPage);
      const complete = state.lastPage !== null && committedPage >= state.lastPage;
      const { write, rows } = spec.write(chunk, ready as T[], { page: committedPage, complete, fetchedAt });
      await ctx.ingest.ingestPage({
        ...write,
        databaseKey: ctx.target.key,
        at: now(),
        cursor: { chunkId: chunk.id, next: committedPage + 1, rows: ready.length, fetchedAt },
      });
      ctx.progress.rowsStored(rows);
      chunk.firstFetchedAt = fetchedAt;
      chunk.nextPage = committedPage + 1;
      if (complete) {
        chunk.status = 'done';
        ctx.chunkDone(chunk);
        return;
      }
    }
  };

  const job = (page: number) => ({
    priority,
    label: `${spec.endpoint} ${chunk.siteCode} ${chunk.fromDay} to ${chunk.toDay}, page ${page}`,
    endpoint: spec.endpoint,
    siteCode: chunk.siteCode,
    detail: `${chunk.fromDay} to ${chunk.toDay}, page ${page}`,
    run: (yieldSignal: AbortSignal) => fetchPage(page, yieldSignal),
  });

  const fetchPage = async (pageNumber: number, yieldSignal: AbortSignal) => {
    // Coverage is as of the range's first request: conservative for days still in progress.
    state.fetchedAt ??= now();
    const fetchedAt = state.fetchedAt;
    const page = await sendOrYield(yieldSignal, () => spec.fetch(chunk, pageNumber, yieldSignal));
    state.fetched++;
    ctx.progress.requestDone(chunk.id);

    const short = page.items.length < page.limit;
    if (state.lastPage === null || short) {
      const byTotal = page.total === null ? null : Math.max(1, Math.ceil(page.total / page.limit));
      const candidate = short ? pageNumber : byTotal;
      if (candidate !== null) state.lastPage = state.lastPage === null ? candidate : Math.min(state.lastPage, candidate);
    }
    const upTo = state.lastPage ?? (short ? pageNumber : pageNumber + 1);
    for (let p = upTo; p > pageNumber; p--) {
      if (state.scheduled.has(p)) continue;
      state.scheduled.add(p);
      // Front of the queue, in page order (pushed last to first).
      ctx.queue.push(job(p), { front: true });
    }
    if (state.lastPage !== null) ctx.progress.expect(chunk.id, state.lastPage - state.firstPage + 1 - state.fetched);

    state.arrived.set(pageNumber, page.items);
    // After the commits already under way (a page that arrived while an earlier one was committing).
    state.committing = state.committing.then(() => commitReady(fetchedAt));
    await state.committing;
  };

  ctx.progress.expect(chunk.id, Math.max(chunk.estimatedPages, known));
  for (const page of firstPages) ctx.queue.push(job(page));
}

export { PAGE_SIZE };
