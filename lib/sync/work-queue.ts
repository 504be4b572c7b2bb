/**
 * The run's work: jobs of one request each (a page, a wash-list page, a verification, an
 * employee's clock entries), run by as many workers as the rate limit's window holds, so a
 * window's requests go out together and the limiter alone sets the pace.
 *
 * Order is by priority (lower first), then by the order jobs were added; a follow-up job (the next
 * pages of a range) can go to the front of its priority. A job may wait for tags (the v2 range its
 * wash list classifies) or for an instant (a load-job still building). The first failure stops
 * everything; `stop()` ends the run after the jobs in flight.
 *
 * Jobs below `exclusiveBelow` (the first screen's sales, the fresh numbers Sync now asks for) go
 * alone: while any of them is waiting or in flight, no other job starts, so they take whole
 * windows of the budget; and one arriving while every worker is busy gets a worker of its own, so
 * it never waits behind a window of background requests (issue 15).
 *
 * And the jobs already in flight step aside: each runs with a signal that aborts when exclusive work
 * arrives. A job passes it to its request as the wait-only signal, so a request still waiting for a
 * permit gives up its place (one already sent completes), and the job throws {@link Yielded}: it
 * goes back to the front of its priority and runs again once the exclusive work is done. Without
 * this, the next window would go to the twenty requests already queued at the limiter, and the
 * fresh numbers a person asked for would wait a window longer.
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
  /**
   * Does the work. `yieldSignal` aborts when exclusive work arrives (never for exclusive jobs);
   * a job that has not sent its request yet may then throw {@link Yielded} to run again later.
   */
  run: (yieldSignal: AbortSignal) => Promise<void>;
}

/** Thrown by a job that gave up its place for exclusive work before sending anything. */
export class Yielded extends Error {
  override name = 'Yielded';
  constructor() {
    super('gave way to more urgent work');
  }
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
  #idle = 0;
  #activeExclusive = 0;
  #running = false;
  readonly #extra: Promise<void>[] = [];
  /** The yield controllers of the non-exclusive jobs in flight. */
  readonly #yielders = new Set<AbortController>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly exclusiveBelow = -Infinity,
  ) {}

  #exclusive(job: Pick<Job, 'priority'>): boolean {
    return job.priority < this.exclusiveBelow;
  }

  /** Adds a job at the back of its priority, or at the front (follow-ups of a job in flight). */
  push(job: Job, { front = false }: { front?: boolean } = {}): void {
    this.#entries.push({ ...job, seq: front ? --this.#front : ++this.#seq });
    if (this.#exclusive(job)) {
      for (const yielder of this.#yielders) yielder.abort();
      if (this.#running && this.#idle === 0 && !this.#stopped) this.#extra.push(this.#worker(true));
    }
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
    this.#running = true;
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => this.#worker(false)));
    await Promise.all(this.#extra);
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#failure) throw this.#failure;
  }

  /** A worker; an `extra` one serves exclusive jobs only and leaves when none is ready. */
  async #worker(extra: boolean): Promise<void> {
    for (;;) {
      // #next counts the job as active before it returns: another worker deciding meanwhile
      // that nothing is left must see it.
      const job = await this.#next(extra);
      if (!job) return;
      const exclusive = this.#exclusive(job);
      const yielder = new AbortController();
      if (!exclusive) this.#yielders.add(yielder);
      try {
        await job.run(yielder.signal);
      } catch (error) {
        if (error instanceof Yielded) {
          // Back in line where it was; it starts again once no exclusive work waits.
          const { seq: _seq, ...again } = job;
          this.push(again, { front: true });
        } else {
          if (!this.#failure && !this.#stopped) this.#failure = error instanceof JobFailure ? error : new JobFailure(job, error);
          this.#stopped = true;
        }
      } finally {
        this.#yielders.delete(yielder);
        this.#active--;
        if (exclusive) this.#activeExclusive--;
        this.#wake();
      }
    }
  }

  async #next(extra: boolean): Promise<Entry | undefined> {
    for (;;) {
      if (this.#stopped) return undefined;
      const now = this.now();
      // While exclusive work waits or runs, only exclusive work may start.
      const exclusiveOnly = extra || this.#activeExclusive > 0 || this.#entries.some((e) => this.#exclusive(e));
      let best = -1;
      let soonest = Infinity;
      for (let i = 0; i < this.#entries.length; i++) {
        const e = this.#entries[i]!;
        if (exclusiveOnly && !this.#exclusive(e)) continue;
        if (e.after?.some((t) => !this.#released.has(t))) continue;
        if (e.notBefore !== undefined && e.notBefore > now) {
          soonest = Math.min(soonest, e.notBefore);
          continue;
        }
        const b = this.#entries[best];
        if (!b || e.priority < b.priority || (e.priority === b.priority && e.seq < b.seq)) best = i;
      }
      if (best >= 0) {
        const job = this.#entries.splice(best, 1)[0]!;
        this.#active++;
        if (this.#exclusive(job)) this.#activeExclusive++;
        return job;
      }
      // An extra worker leaves as soon as it has nothing exclusive to do.
      if (extra) return undefined;
      // Nothing ready and nothing in flight (which could add or release work): done, unless jobs
      // still wait for something that can no longer come, which is a planning bug to report.
      if (this.#active === 0 && soonest === Infinity) {
        const stuck = this.#entries[0];
        if (stuck && !this.#failure) {
          this.#failure = new JobFailure(stuck, new Error(`waited for ${stuck.after?.filter((t) => !this.#released.has(t)).join(', ') || 'nothing'} that never came`));
          this.#stopped = true;
        }
        return undefined;
      }
      this.#idle++;
      await new Promise<void>((resolve) => {
        this.#wakers.push(resolve);
        if (soonest !== Infinity) this.#arm(soonest - now);
      });
      this.#idle--;
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
