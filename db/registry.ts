/**
 * Keeps the `databases` table in step with the configuration (or the demo world). Credentials stay
 * in the environment: only the API ID, which is not a secret, is stored.
 */
import { sql } from 'drizzle-orm';
import type { Orm } from './orm';
import { databases } from './schema';

export interface DatabaseRegistration {
  key: string;
  name: string;
  apiId: string;
  defaultTimezone: string;
  isDemo: boolean;
}

export function registerDatabases(db: { orm: Orm }, list: readonly DatabaseRegistration[], now = Date.now()): void {
  if (!list.length) return;
  db.orm
    .insert(databases)
    .values(list.map((d) => ({ ...d, createdAt: now, updatedAt: now })))
    .onConflictDoUpdate({
      target: databases.key,
      set: {
        name: sql`excluded.name`,
        apiId: sql`excluded.api_id`,
        defaultTimezone: sql`excluded.default_timezone`,
        isDemo: sql`excluded.is_demo`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    .run();
}
