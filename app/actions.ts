'use server';

import { z } from 'zod';
import { getSyncStatus } from '@/lib/server/sync-status';
import { recordAudit } from '@/lib/auth/audit';
import { canSeeDatabase, canSyncDatabase } from '@/lib/auth/scope';
import { clientAddress } from '@/lib/auth/request';
import { getViewer } from '@/lib/auth/viewer';
import { getConfig } from '@/lib/env';
import { getRuntime } from '@/lib/server/runtime';
import { planSyncNow } from '@/lib/server/sync-now';
import { headers } from 'next/headers';

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
 * "Sync now": starts a run of one database (or of every database the viewer may sync), or joins
 * the run already going, which then goes ahead of background work at the rate limiter. A database
 * that synced successfully in the last minute answers "synced N s ago" instead. Owners may sync
 * every database, managers the databases their sites belong to, viewers none. Returns at once; the
 * page follows progress.
 */
export async function syncNow(_previous: SyncNowState, formData: FormData): Promise<SyncNowState> {
  const viewer = await getViewer();
  if (!viewer) return { ok: false, message: 'Your session has ended: sign in again to sync.' };
  const parsed = syncNowSchema.safeParse({ database: formData.get('database') ?? '' });
  if (!parsed.success) {
    return { ok: false, message: 'Choose a database to sync.', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  const key = parsed.data.database;
  // A database outside the viewer's sites gets the same answer as one that does not exist.
  if (key !== 'all' && !canSeeDatabase(viewer, key)) return { ok: false, message: `There is no database "${key}".` };
  if (viewer.role === 'viewer') return { ok: false, message: 'Viewers cannot start a sync; ask a manager or an owner.' };
  try {
    const runtime = await getRuntime();
    if (key !== 'all' && !runtime.targets.some((t) => t.key === key)) {
      return { ok: false, message: `There is no database "${key}".` };
    }
    const keys = key === 'all' ? runtime.targets.map((t) => t.key).filter((k) => canSyncDatabase(viewer, k)) : [key];
    if (!keys.length || !keys.every((k) => canSyncDatabase(viewer, k))) {
      return { ok: false, message: 'Your role cannot start a sync of this database.' };
    }
    const status = await getSyncStatus();
    const now = Date.now();
    const cooldownMs = getConfig().syncNowCooldownSeconds * 1000;
    const sentences: string[] = [];
    const runs: { database: string; runId: number; joined: boolean }[] = [];
    for (const databaseKey of keys) {
      const name = runtime.manager.target(databaseKey).name;
      const current = status.databases.find((d) => d.key === databaseKey);
      const plan = planSyncNow({ running: Boolean(current?.running), lastSucceededAt: current?.lastSucceededAt ?? null, now, cooldownMs });
      if (plan.action === 'recent') {
        sentences.push(`${name}: synced ${plan.secondsAgo} s ago.`);
        continue;
      }
      const result = await runtime.manager.trigger(databaseKey, 'manual');
      void result.done.then((o) => (o.status === 'succeeded' ? console.log : console.warn)(`[sync] ${o.message}`));
      runs.push({ database: databaseKey, runId: result.runId, joined: result.joined });
      sentences.push(result.joined ? `${name}: already syncing; following that run.` : `${name}: sync started.`);
    }
    await recordAudit({ actor: viewer, action: 'sync-now', detail: sentences.join(' '), address: clientAddress(await headers()) });
    return { ok: true, message: sentences.join(' '), runs };
  } catch (error) {
    console.error('syncNow failed', error);
    return { ok: false, message: 'The sync could not be started. Try again in a moment.' };
  }
}
