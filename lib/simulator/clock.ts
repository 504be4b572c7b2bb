/**
 * Controllable clocks. The simulator has two:
 * - the data clock: what "now" is for the data (which transactions exist, date validation, cache
 *   and job expiry);
 * - the wall clock: throttle windows and job build time, real time by default.
 * Both follow real time until a test calls `set` (which freezes) or `advance`.
 */

export interface SimClock {
  /** Current time, epoch ms. */
  now(): number;
  /** Jump to `ms` and freeze there (pass `{ running: true }` to keep ticking from `ms`). */
  set(ms: number | Date, options?: { running?: boolean }): void;
  /** Move forward (or back, with a negative value) by `ms`. */
  advance(ms: number): void;
  /** Keep ticking in real time from the current value. */
  resume(): void;
  /** Stop at the current value. */
  freeze(): void;
  readonly frozen: boolean;
}

export interface ClockOptions {
  /** Start value (epoch ms or Date). @default real time */
  start?: number | Date;
  /** Start frozen at `start`. @default false */
  frozen?: boolean;
}

export class ControllableClock implements SimClock {
  private offset = 0;
  private frozenAt: number | null = null;

  constructor(
    options: ClockOptions = {},
    private readonly source: () => number = Date.now,
  ) {
    if (options.start !== undefined) this.set(options.start, { running: !options.frozen });
    else if (options.frozen) this.freeze();
  }

  get frozen(): boolean {
    return this.frozenAt !== null;
  }

  now(): number {
    return this.frozenAt ?? this.source() + this.offset;
  }

  set(ms: number | Date, options: { running?: boolean } = {}): void {
    const value = typeof ms === 'number' ? ms : ms.getTime();
    if (!Number.isFinite(value)) throw new Error(`clock.set: not a time: ${String(ms)}`);
    if (options.running) {
      this.frozenAt = null;
      this.offset = value - this.source();
    } else {
      this.frozenAt = value;
    }
  }

  advance(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offset += ms;
  }

  resume(): void {
    if (this.frozenAt === null) return;
    this.offset = this.frozenAt - this.source();
    this.frozenAt = null;
  }

  freeze(): void {
    this.frozenAt = this.now();
  }
}
