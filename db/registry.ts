/**
 * Keeps the `databases` table in step with the configuration (or the demo world). Credentials stay
 * in the environment: only the API ID, which is not a secret, is stored.
 */
import { sql } from 'drizzle-orm';
import type { Orm } from './orm';
import { databases } from './schema';
import type { SqlClient } from './sql/client';

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

/** {@link registerDatabases} in SQL both dialects run (Postgres's flags are booleans). */
export async function registerDatabasesIn(sql: SqlClient, list: readonly DatabaseRegistration[], now = Date.now()): Promise<void> {
  for (const d of list) {
    await sql.run(
      `INSERT INTO databases (key, name, api_id, default_timezone, is_demo, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET name = excluded.name, api_id = excluded.api_id, default_timezone = excluded.default_timezone,
         is_demo = excluded.is_demo, updated_at = excluded.updated_at`,
      [d.key, d.name, d.apiId, d.defaultTimezone, d.isDemo, now, now],
    );
  }
}
