/**
 * How many CSV exports run at once (issue 13): a few slow downloads of a big file must not take the
 * server from everyone else. At most 2 per holder (a person; for now their address) and 4 in all;
 * the next is refused at once, with a sentence, instead of queueing work nobody can serve.
 *
 * A slot is held from the response's start until its stream ends, is cancelled, fails, or stalls
 * (see `chunksToReadableStream`'s idle timeout), and is released exactly once.
 */

export interface ExportLimits {
  /** Exports one holder may run at once. @default 2 */
  perHolder: number;
  /** Exports the process runs at once. @default 4 */
  total: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = { perHolder: 2, total: 4 };

export interface ExportSlot {
  readonly holder: string;
  /** Frees the slot; later calls do nothing. */
  release(): void;
}

export type SlotRefusal = { refused: 'holder' | 'total'; message: string };

export class ExportSlots {
  readonly #byHolder = new Map<string, number>();
  #total = 0;

  constructor(readonly limits: ExportLimits = DEFAULT_EXPORT_LIMITS) {}

  get inUse(): number {
    return this.#total;
  }

  /** A slot for `holder`, or why there is none. */
  acquire(holder: string): ExportSlot | SlotRefusal {
    const mine = this.#byHolder.get(holder) ?? 0;
    if (mine >= this.limits.perHolder) {
      return {
        refused: 'holder',
        message: `You already have ${mine} downloads running; wait for one to finish, then try again.`,
      };
    }
    if (this.#total >= this.limits.total) {
      return {
        refused: 'total',
        message: `Washboard is already preparing ${this.#total} downloads, its limit; try again in a minute.`,
      };
    }
    this.#byHolder.set(holder, mine + 1);
    this.#total++;
    let released = false;
    return {
      holder,
      release: () => {
        if (released) return;
        released = true;
        this.#total--;
        const left = (this.#byHolder.get(holder) ?? 1) - 1;
        if (left > 0) this.#byHolder.set(holder, left);
        else this.#byHolder.delete(holder);
      },
    };
  }
}

export function isRefusal(result: ExportSlot | SlotRefusal): result is SlotRefusal {
  return 'refused' in result;
}

// One counter per server process, kept across Next.js dev reloads like the database connection.
const globalForSlots = globalThis as unknown as { __washboardExportSlots?: ExportSlots };

/** The process's export slots. */
export function getExportSlots(): ExportSlots {
  globalForSlots.__washboardExportSlots ??= new ExportSlots();
  return globalForSlots.__washboardExportSlots;
}
