/**
 * The run's work: jobs of one request each (a page, a wash-list page, a verification, an
 * employee's clock entries), run by as many workers as the rate limit's window holds, so a
 * window's requests go out together and the limiter alone sets the pace.
 *
 * Order is by priority (lower first), then by the order jobs were added; a follow-up job (the next
 * pages of a range) can go to the front of its priority. A job may wait for tags (the v2 range its
 * wash list classifies) or for an instant (a load-job still building). The first failure stops
 * everything; `stop()` ends the run after the jobs in flight.
 */

export interface Job {
  /** Lower runs first. */
  priority: number;
  /** What it is, for failure messages. */
  label: string;
  /** For the failure sentence: the endpoint, the site and the detail (range, page) it was at. */
  endpoint?: string;
  siteCode?: string;
  detail?: string;
  /** Not before this instant (epoch ms). */
  notBefore?: number;
  /** Not before every one of these tags is released. */
  after?: readonly string[];
  run: () => Promise<void>;
}

interface Entry extends Job {
  seq: number;
}

export class JobFailure extends Error {
  override name = 'JobFailure';
  constructor(
    readonly job: Pick<Job, 'label' | 'endpoint' | 'siteCode' | 'detail'>,
    override readonly cause: unknown,
  ) {
    super(`${job.label}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export class WorkQueue {
  readonly #entries: Entry[] = [];
  readonly #released = new Set<string>();
  #seq = 0;
  #front = 0;
  #active = 0;
  #stopped = false;
  #failure: JobFailure | null = null;
  #wakers: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Adds a job at the back of its priority, or at the front (follow-ups of a job in flight). */
  push(job: Job, { front = false }: { front?: boolean } = {}): void {
    this.#entries.push({ ...job, seq: front ? --this.#front : ++this.#seq });
    this.#wake();
  }

  /** Lets jobs waiting for `tag` go. */
  release(tag: string): void {
    this.#released.add(tag);
    this.#wake();
  }

  /** No new job starts; `run` resolves once those in flight have finished. */
  stop(): void {
    this.#stopped = true;
    this.#wake();
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Jobs not started yet. */
  get pending(): number {
    return this.#entries.length;
  }

  /** Runs jobs on `concurrency` workers until none is left (or one failed, or `stop()`). */
  async run(concurrency: number): Promise<void> {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => this.#worker()));
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#failure) throw this.#failure;
  }

  async #worker(): Promise<void> {
    for (;;) {
      const job = await this.#next();
      if (!job) return;
      this.#active++;
      try {
        await job.run();
      } catch (error) {
        if (!this.#failure && !this.#stopped) this.#failure = error instanceof JobFailure ? error : new JobFailure(job, error);
        this.#stopped = true;
      } finally {
        this.#active--;
        this.#wake();
      }
    }
  }

  async #next(): Promise<Entry | undefined> {
    for (;;) {
      if (this.#stopped) return undefined;
      const now = this.now();
      let best = -1;
      let soonest = Infinity;
      for (let i = 0; i < this.#entries.length; i++) {
        const e = this.#entries[i]!;
        if (e.after?.some((t) => !this.#released.has(t))) continue;
        if (e.notBefore !== undefined && e.notBefore > now) {
          soonest = Math.min(soonest, e.notBefore);
          continue;
        }
        const b = this.#entries[best];
        if (!b || e.priority < b.priority || (e.priority === b.priority && e.seq < b.seq)) best = i;
      }
      if (best >= 0) return this.#entries.splice(best, 1)[0];
      // Nothing ready: done when nothing is in flight either (a job in flight may add more).
      if (this.#active === 0 && soonest === Infinity) return undefined;
      await new Promise<void>((resolve) => {
        this.#wakers.push(resolve);
        if (soonest !== Infinity) this.#arm(soonest - now);
      });
    }
  }

  #arm(ms: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#wake(), Math.max(0, ms));
    this.#timer.unref?.();
  }

  #wake(): void {
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const wake of wakers) wake();
  }
}
