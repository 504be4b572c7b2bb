/** Plain-words time for the sync page: "12 s", "3 min", "2 h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

/** "just now", "3 min ago". */
export function formatAgo(at: number, now: number): string {
  const ms = now - at;
  return ms < 5_000 ? 'just now' : `${formatDuration(ms)} ago`;
}

const count = new Intl.NumberFormat('en-US');

/** `2,179` */
export function formatNumber(n: number): string {
  return count.format(n);
}

/** `1 request`, `2,179 requests`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

export const TRIGGER_LABELS: Record<string, string> = {
  manual: 'started from this page',
  scheduled: 'scheduled',
  cli: 'from the command line',
  startup: 'at start-up',
};

export interface BudgetView {
  used: number;
  limit: number;
  windowMs: number;
  resetsInMs: number | null;
  blockedForMs: number | null;
}

/**
 * How long a run still needs, said honestly: when the budget is spent, the next requests wait for
 * the window to refill, so the wait is named ("waiting 9 s for the next window") instead of a
 * countdown that stands still.
 */
export function describeRemaining(remainingRequests: number, budget: BudgetView): { waitingMs: number | null; leftMs: number | null } {
  if (remainingRequests <= 0) return { waitingMs: null, leftMs: null };
  if (budget.blockedForMs !== null) {
    const windows = Math.ceil(remainingRequests / budget.limit);
    return { waitingMs: budget.blockedForMs, leftMs: budget.blockedForMs + (windows - 1) * budget.windowMs };
  }
  const free = Math.max(0, budget.limit - budget.used);
  if (remainingRequests <= free) return { waitingMs: null, leftMs: null };
  const wait = budget.resetsInMs ?? budget.windowMs;
  const windows = Math.ceil((remainingRequests - free) / budget.limit);
  return { waitingMs: free === 0 ? wait : null, leftMs: wait + (windows - 1) * budget.windowMs };
}
