/**
 * The CSV cells of `lib/reports/csv.ts`, as SQLite expressions: the transactions export lets SQLite
 * write whole lines (one JS string per batch of rows instead of several per row). Each must agree
 * with its JS twin; tests/unit/db/sqlite/csv-cells.test.ts holds them to it over every awkward
 * input we know. SQLite dialect (`iif`, `char`, `instr`).
 */

/** `textCell` as an SQL expression over `column`. */
export function textCellSql(column: string): string {
  const neutralised = `CASE WHEN substr(${column}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13)) THEN '''' || ${column} ELSE ${column} END`;
  const needsQuotes = `instr(${column}, '"') OR instr(${column}, ',') OR instr(${column}, char(13)) OR instr(${column}, char(10))`;
  return `(CASE WHEN ${column} IS NULL OR ${column} = '' THEN '' WHEN ${needsQuotes} THEN '"' || replace(${neutralised}, '"', '""') || '"' ELSE ${neutralised} END)`;
}

/** `centsToDecimal` as an SQL expression over an integer `column` of cents. */
export function centsToDecimalSql(column: string): string {
  // Integer arithmetic even for a value bound from JS (a REAL to SQLite): 0.0 / 100 would print "0.0".
  const abs = `abs(CAST(${column} AS INTEGER))`;
  return `(iif(${column} < 0, '-', '') || (${abs} / 100) || '.' || substr('0' || (${abs} % 100), -2))`;
}

/** `booleanCell` as an SQL expression. */
export function booleanCellSql(column: string): string {
  return `iif(${column}, 'true', 'false')`;
}

/** `optionalBooleanCell` as an SQL expression. */
export function optionalBooleanCellSql(column: string): string {
  return `(CASE WHEN ${column} IS NULL THEN '' WHEN ${column} THEN 'true' ELSE 'false' END)`;
}

