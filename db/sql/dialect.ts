/**
 * What SQLite and Postgres spell differently, as named fragments: queries written once
 * (db/sql/client.ts) take these from `db.dialect` rather than branching on the dialect themselves.
 * Each dialect's spelling lives in its own folder (db/sqlite/dialect.ts, db/postgres/dialect.ts).
 */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /**
   * A JSON array parameter as rows, one per element, in a table aliased `alias` whose element is
   * read with {@link jsonText} or {@link jsonNumber}: `FROM ${jsonEach('@sites', 'j')}`.
   */
  jsonEach(param: string, alias: string): string;
  /** Element `index` of the JSON array row `alias` (from {@link jsonEach}) as text. */
  jsonText(alias: string, index: number): string;
  /** Element `index` of the JSON array row `alias` as a number. */
  jsonNumber(alias: string, index: number): string;
  /** The JSON array element of row `alias` itself as text (a list of scalars). */
  jsonValue(alias: string): string;
  /**
   * A JSON object text built by an aggregate, one member per row (`{"2024-01-01": 1250, …}`):
   * SQLite's json_group_object, Postgres's json_object_agg read back as text (not parsed by the driver).
   */
  jsonObjectAgg(key: string, value: string): string;
  /** The smaller of two values (SQLite's scalar min, Postgres's least). */
  least(a: string, b: string): string;
  /** The larger of two values. */
  greatest(a: string, b: string): string;
  /**
   * `expr` kept out of SQLite's index choice (a unary `+`, see db/sqlite/scope.ts); Postgres
   * plans from statistics and needs no hint.
   */
  noIndex(expr: string): string;
  /** A boolean expression as a selectable flag that reads back as 1 or 0 on both dialects. */
  flag(condition: string): string;
  /** Current time in epoch milliseconds. */
  nowMs(): string;
  /**
   * A statement that, run first in a transaction, serialises every transaction that runs it with
   * the same `keyParam` until they end (across processes). SQLite's transactions already are
   * (BEGIN IMMEDIATE holds the file's write lock), so there it is a no-op; Postgres takes a
   * transaction-scoped advisory lock on the key's hash.
   */
  transactionLock(keyParam: string): string;
  /**
   * A text expression ordered byte by byte, as SQLite orders text: Postgres would otherwise order
   * by the database's collation (`en_US`: case and punctuation ignored), and a CSV would differ.
   */
  byteOrder(expr: string): string;
  /**
   * One of Better Auth's date columns read as epoch milliseconds (SQLite stores them so; Postgres
   * as `timestamptz`).
   */
  authTimeMs(column: string): string;
  /** An epoch-milliseconds parameter as a value for one of Better Auth's date columns. */
  authTimeOf(param: string): string;
}
