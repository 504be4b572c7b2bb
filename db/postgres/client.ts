/**
 * The SQL client (db/sql/client.ts) on a node-postgres pool. `?` and `@name` placeholders become
 * `$n`. Postgres's 64-bit integers and numerics (counts, sums of bigint columns) come back as
 * JavaScript numbers, as on SQLite: every figure Washboard stores stays far below 2^53.
 */
import pg from 'pg';
import { toNumbered, type SqlClient, type SqlParams } from '@/db/sql/client';

/** Type parsers for a pool: bigint (20) and numeric (1700) as numbers. */
export const numberTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === 20 || oid === 1700) return (value: string) => (value === null ? null : Number(value));
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

function clientOn(queryable: Queryable, transaction: SqlClient['transaction']): SqlClient {
  const query = async <R>(text: string, params?: SqlParams) => {
    const q = toNumbered(text, params);
    return queryable.query<R & pg.QueryResultRow>(q.text, q.values);
  };
  return {
    dialect: 'postgres',
    all: async <R>(text: string, params?: SqlParams) => (await query<R>(text, params)).rows,
    get: async <R>(text: string, params?: SqlParams) => (await query<R>(text, params)).rows[0],
    run: async (text: string, params?: SqlParams) => (await query(text, params)).rowCount ?? 0,
    transaction,
  };
}

/** A client whose statements run on the pool, and whose transactions take a connection of their own. */
export function postgresClient(pool: pg.Pool): SqlClient {
  const transaction = async <T>(work: (tx: SqlClient) => Promise<T>): Promise<T> => {
    const connection = await pool.connect();
    let broken: unknown;
    try {
      await connection.query('BEGIN');
      // A transaction inside this one joins it (as on SQLite): the work's own commits are ours.
      const tx = clientOn(connection, (inner) => inner(tx));
      const result = await work(tx);
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await connection.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError;
      }
      throw error;
    } finally {
      connection.release(broken instanceof Error ? broken : undefined);
    }
  };
  return clientOn(pool, transaction);
}
