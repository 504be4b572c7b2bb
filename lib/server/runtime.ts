/**
 * What the web server does once at start-up. Idempotent: `next dev` may call it more than once.
 */
import { getDb } from '@/db';
import { registerDatabases } from '@/db/registry';
import { getConfigOrExit } from '@/lib/env';

const globalForRuntime = globalThis as unknown as { __washboardRuntime?: Promise<void> };

export function startServerRuntime(): Promise<void> {
  globalForRuntime.__washboardRuntime ??= (async () => {
    const config = getConfigOrExit();
    const db = getDb();
    registerDatabases(db, config.databases.map((d) => ({ ...d, isDemo: false })));
  })();
  return globalForRuntime.__washboardRuntime;
}
