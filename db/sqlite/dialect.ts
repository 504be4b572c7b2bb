/** SQLite's spelling of the fragments in db/sql/dialect.ts. */
import type { SqlDialect } from '@/db/sql/dialect';

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  jsonEach: (param, alias) => `json_each(${param}) ${alias}`,
  jsonText: (alias, index) => `json_extract(${alias}.value, '$[${index}]')`,
  jsonNumber: (alias, index) => `json_extract(${alias}.value, '$[${index}]')`,
  jsonValue: (alias) => `${alias}.value`,
  least: (a, b) => `min(${a}, ${b})`,
  greatest: (a, b) => `max(${a}, ${b})`,
  noIndex: (expr) => `+${expr}`,
  flag: (condition) => `(CASE WHEN ${condition} THEN 1 ELSE 0 END)`,
  nowMs: () => `(unixepoch('subsec') * 1000)`,
  transactionLock: () => 'SELECT 1',
  byteOrder: (expr) => expr,
  jsonObjectAgg: (key, value) => `json_group_object(${key}, ${value})`,
  authTimeMs: (column) => column,
  authTimeOf: (param) => param,
};
