/**
 * Whether a press of Sync now starts (or joins) a run, or answers that the database has just
 * synced (issue 12: 120 presses in a minute spent 88 of the API ID's 100 requests and started 11
 * redundant runs). A running run is always joined; otherwise a database that synced successfully
 * within the cooldown (60 s by default, SYNC_NOW_COOLDOWN_SECONDS) is left alone. Pure.
 */
export type SyncNowPlan = { action: 'trigger' } | { action: 'recent'; secondsAgo: number };

export function planSyncNow({
  running,
  lastSucceededAt,
  now,
  cooldownMs,
}: {
  running: boolean;
  lastSucceededAt: number | null;
  now: number;
  cooldownMs: number;
}): SyncNowPlan {
  if (running || lastSucceededAt === null) return { action: 'trigger' };
  const age = now - lastSucceededAt;
  if (age >= cooldownMs) return { action: 'trigger' };
  return { action: 'recent', secondsAgo: Math.max(0, Math.floor(age / 1000)) };
}
