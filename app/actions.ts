'use server';

import { z } from 'zod';
import { getRuntime } from '@/lib/server/runtime';

/** What the Sync now buttons read back (useActionState). */
export type SyncNowState =
  | { ok: true; message: string; runs: { database: string; runId: number; joined: boolean }[] }
  | { ok: false; message: string; fieldErrors?: Record<string, string[]> }
  | null;

const syncNowSchema = z.object({
  database: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,31}$|^all$/, { error: 'Choose a database to sync.' }),
});

/**
 * "Sync now": starts a run of one database (or all), or joins the run already going, which then
 * goes ahead of background work at the rate limiter. Returns at once; the page follows progress.
 * Washboard has no user accounts yet: whoever can open the dashboard may sync (see README).
 */
export async function syncNow(_previous: SyncNowState, formData: FormData): Promise<SyncNowState> {
  const parsed = syncNowSchema.safeParse({ database: formData.get('database') ?? '' });
  if (!parsed.success) {
    return { ok: false, message: 'Choose a database to sync.', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  try {
    const runtime = await getRuntime();
    const key = parsed.data.database;
    if (key !== 'all' && !runtime.targets.some((t) => t.key === key)) {
      return { ok: false, message: `There is no database "${key}".` };
    }
    const results = key === 'all' ? runtime.manager.triggerAll('manual') : [runtime.manager.trigger(key, 'manual')];
    for (const r of results) {
      void r.done.then((o) => (o.status === 'succeeded' ? console.log : console.warn)(`[sync] ${o.message}`));
    }
    const joined = results.every((r) => r.joined);
    const names = results.map((r) => runtime.manager.target(r.databaseKey).name).join(' and ');
    return {
      ok: true,
      message: joined ? `${names}: already syncing; following that run.` : `${names}: sync started.`,
      runs: results.map((r) => ({ database: r.databaseKey, runId: r.runId, joined: r.joined })),
    };
  } catch (error) {
    console.error('syncNow failed', error);
    return { ok: false, message: 'The sync could not be started. Try again in a moment.' };
  }
}
