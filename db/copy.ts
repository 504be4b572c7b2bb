/**
 * Copies a SQLite archive into an empty Postgres database (issue 14, `npm run db:copy`): every
 * table of the schema, in an order that satisfies the foreign keys, streamed through Postgres's
 * COPY (several times faster than batched INSERTs for the millions of transactions), converting the
 * types SQLite stores differently (flags as 0/1, Better Auth's dates as epoch milliseconds). Then
 * identity columns continue after the copied ids. The caller verifies (counts, report totals).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { from as copyFrom } from 'pg-copy-streams';
import { is } from 'drizzle-orm';
import { PgTable as PgTableClass } from 'drizzle-orm/pg-core';
import type { PostgresAppDatabase, SqliteAppDatabase } from './index';
import * as postgresSchema from './postgres/schema';

/** Tables in copy order: parents before children (users before sessions, databases before sites). */
export function copyOrder(): PgTable[] {
  const tables = (Object.values(postgresSchema) as unknown[]).filter((v): v is PgTable => is(v, PgTableClass));
  const name = (t: PgTable) => getTableConfig(t).name;
  const parents = new Map(tables.map((t) => [name(t), getTableConfig(t).foreignKeys.map((fk) => getTableConfig(fk.reference().foreignTable).name)]));
  const ordered: PgTable[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const before = ordered.length;
    for (const t of tables) {
      if (placed.has(name(t))) continue;
      if ((parents.get(name(t)) ?? []).every((p) => p === name(t) || placed.has(p))) {
        ordered.push(t);
        placed.add(name(t));
      }
    }
    if (ordered.length === before) throw new Error('The schema has a cycle of foreign keys; no copy order exists.');
  }
  return ordered;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** A SQLite value as a field of COPY's text format for the Postgres column. */
function field(column: PgColumn, value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (column.columnType === 'PgBoolean') return value === 1 || value === true || value === '1' ? 't' : 'f';
  if (column.columnType === 'PgTimestamp') return new Date(Number(value)).toISOString();
  if (typeof value === 'string') return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
  return String(value);
}

export interface CopyProgress {
  table: string;
  rows: number;
}

/** Rows per chunk handed to the COPY stream (and between progress reports). */
const CHUNK_ROWS = 5_000;

/**
 * Copies every row of `from` into `to`, whose tables must be empty (a copy onto data would mix two
 * archives). Returns each table's row count as copied.
 */
export async function copyArchive(
  from: SqliteAppDatabase,
  to: PostgresAppDatabase,
  onProgress: (p: CopyProgress) => void = () => {},
): Promise<Map<string, number>> {
  await to.ready;
  const tables = copyOrder();
  for (const table of tables) {
    const { name } = getTableConfig(table);
    const any = await to.sql.get(`SELECT 1 AS one FROM ${quote(name)} LIMIT 1`);
    if (any) throw new Error(`The Postgres database already has rows in ${name}: db:copy copies into an empty database only.`);
  }
  const counts = new Map<string, number>();
  for (const table of tables) {
    const { name, columns } = getTableConfig(table);
    const names = columns.map((c) => c.name);
    const select = from.sqlite.prepare(`SELECT ${names.map(quote).join(', ')} FROM ${quote(name)}`).raw(true);
    let copied = 0;
    // Lines of COPY text, produced as the stream asks for them (the SQLite read never runs ahead
    // of what Postgres has taken: back-pressure keeps memory flat whatever the table's size).
    function* lines(): Generator<string> {
      let chunk = '';
      let inChunk = 0;
      for (const row of select.iterate() as IterableIterator<unknown[]>) {
        chunk += `${row.map((v, i) => field(columns[i]!, v)).join('\t')}\n`;
        if (++inChunk === CHUNK_ROWS) {
          yield chunk;
          copied += inChunk;
          onProgress({ table: name, rows: copied });
          chunk = '';
          inChunk = 0;
        }
      }
      if (inChunk) {
        yield chunk;
        copied += inChunk;
        onProgress({ table: name, rows: copied });
      }
    }
    const connection = await to.pool.connect();
    // One transaction per table: a table is copied whole or not at all.
    try {
      await connection.query('BEGIN');
      await pipeline(Readable.from(lines()), connection.query(copyFrom(`COPY ${quote(name)} (${names.map(quote).join(', ')}) FROM STDIN`)));
      await connection.query('COMMIT');
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
    counts.set(name, copied);
    for (const column of columns) {
      if (column.generatedIdentity) {
        await to.sql.run(
          `SELECT setval(pg_get_serial_sequence('${name}', '${column.name}'), coalesce((SELECT max(${quote(column.name)}) FROM ${quote(name)}), 0) + 1, false)`,
        );
      }
    }
  }
  return counts;
}

/** Each table's row count in a database of either dialect. */
export async function tableCounts(db: { sql: SqliteAppDatabase['sql'] }): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of copyOrder()) {
    const { name } = getTableConfig(table);
    const row = await db.sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${quote(name)}`);
    counts.set(name, Number(row?.n ?? 0));
  }
  return counts;
}
