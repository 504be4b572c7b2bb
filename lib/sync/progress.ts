/**
 * A run's progress as managers see it on /sync: requests done against an estimate of those
 * planned, rows stored, and an ETA at the API's rate, published with the lease's heartbeat at
 * least every second. The estimate is each open chunk's expected requests, corrected as pages,
 * wash lists and verifications reveal how many they really take.
 */
import { LEASE_MS, type RunProgress, type SyncStore } from './store';

export class ProgressReporter {
  readonly progress: RunProgress = { plannedRequests: 0, doneRequests: 0, rows: 0, etaAt: null };
  /** chunk id → requests it is still expected to take. */
  readonly #remaining = new Map<number, number>();
  /** Requests outside chunks still expected (the site list, the employee list). */
  #extra = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly input: {
      store: SyncStore;
      databaseKey: string;
      runId: number;
      owner: string;
      now: () => number;
      rate: { limit: number; windowMs: number };
    },
  ) {}

  /** Starts publishing every `intervalMs` (a busy database skips a beat, never the run). */
  start(intervalMs: number): void {
    this.#timer = setInterval(() => {
      // A failed beat is not the run's failure: the next tick writes again.
      this.publish().catch(() => {});
    }, intervalMs);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** A chunk is expected to take `requests` more requests (set, not added). */
  expect(chunkId: number, requests: number): void {
    this.#remaining.set(chunkId, Math.max(0, requests));
  }

  /** Requests outside chunks: +1 when one is planned, -1 when it is no longer expected. */
  expectExtra(delta: number): void {
    this.#extra = Math.max(0, this.#extra + delta);
  }

  /** One request done (of a chunk, or outside any). */
  requestDone(chunkId?: number): void {
    this.progress.doneRequests++;
    if (chunkId === undefined) return;
    const left = this.#remaining.get(chunkId);
    if (left !== undefined) this.#remaining.set(chunkId, Math.max(0, left - 1));
  }

  chunkDone(chunkId: number): void {
    this.#remaining.delete(chunkId);
  }

  rowsStored(n: number): void {
    this.progress.rows += n;
  }

  recompute(): void {
    let remaining = this.#extra;
    for (const r of this.#remaining.values()) remaining += Math.max(1, r);
    const { progress } = this;
    progress.plannedRequests = progress.doneRequests + remaining;
    const { limit, windowMs } = this.input.rate;
    progress.etaAt = remaining > 0 ? this.input.now() + Math.ceil((remaining / limit) * windowMs) : this.input.now();
  }

  /** Writes the progress with the lease's renewal (the heartbeat that keeps the run's lease). */
  publish(): Promise<void> {
    this.recompute();
    const { store, databaseKey, runId, owner, now } = this.input;
    const at = now();
    return store.heartbeat({ databaseKey, runId, owner, now: at, leaseUntil: at + LEASE_MS, progress: { ...this.progress } });
  }

  /** The figures for the run's end: the estimate settled on what was done. */
  final(): RunProgress {
    this.recompute();
    this.progress.plannedRequests = Math.max(this.progress.doneRequests, this.progress.plannedRequests);
    this.progress.etaAt = null;
    return this.progress;
  }
}
