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

export const TRIGGER_LABELS: Record<string, string> = {
  manual: 'started from this page',
  scheduled: 'scheduled',
  cli: 'from the command line',
  startup: 'at start-up',
};
