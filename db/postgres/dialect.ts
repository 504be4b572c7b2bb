/** Postgres's spelling of the fragments in db/sql/dialect.ts. */
import type { SqlDialect } from '@/db/sql/dialect';

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  jsonEach: (param, alias) => `jsonb_array_elements(CAST(${param} AS jsonb)) AS ${alias}(value)`,
  jsonText: (alias, index) => `(${alias}.value ->> ${index})`,
  jsonNumber: (alias, index) => `CAST(${alias}.value ->> ${index} AS bigint)`,
  jsonValue: (alias) => `(${alias}.value #>> '{}')`,
  least: (a, b) => `least(${a}, ${b})`,
  greatest: (a, b) => `greatest(${a}, ${b})`,
  noIndex: (expr) => expr,
  flag: (condition) => `(CASE WHEN ${condition} THEN 1 ELSE 0 END)`,
  nowMs: () => `CAST(extract(epoch from clock_timestamp()) * 1000 AS bigint)`,
  transactionLock: (keyParam) => `SELECT pg_advisory_xact_lock(hashtextextended(${keyParam}, 0))`,
  byteOrder: (expr) => `${expr} COLLATE "C"`,
  jsonObjectAgg: (key, value) => `CAST(json_object_agg(${key}, ${value}) AS text)`,
  authTimeMs: (column) => `CAST(extract(epoch from ${column}) * 1000 AS bigint)`,
  // Milliseconds exactly: to_timestamp's double would round some of them.
  authTimeOf: (param) => `(timestamptz 'epoch' + CAST(${param} AS bigint) * interval '1 millisecond')`,
};
