/**
 * Washboard on Postgres (`DATABASE_URL=postgres://…`, issue 14): a node-postgres pool, drizzle on
 * top, and the migrations of db/postgres/migrations applied on open under an advisory lock, so
 * several instances starting together migrate once.
 */
import path from 'node:path';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { postgresClient, numberTypes } from './client';
import * as schema from './schema';

export type PostgresOrm = NodePgDatabase<typeof schema>;

/** Where the Postgres migrations live; resolved from the working directory (the project root). */
export const POSTGRES_MIGRATIONS_FOLDER = path.join(process.cwd(), 'db', 'postgres', 'migrations');

/** An arbitrary constant: the advisory lock every Washboard instance takes to migrate. */
const MIGRATION_LOCK = 7_314_202_614;

export function createPool(url: string, options: { max?: number } = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, types: numberTypes, max: options.max ?? 10, application_name: 'washboard' });
  // An idle connection the server closed (a restart) must not take the process down.
  pool.on('error', (error) => console.warn(`[db] an idle Postgres connection failed: ${error.message}`));
  return pool;
}

export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const connection = await pool.connect();
  try {
    await connection.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(connection, { schema }), { migrationsFolder: POSTGRES_MIGRATIONS_FOLDER });
    } finally {
      await connection.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    connection.release();
  }
}

export { postgresClient, schema };
