/**
 * One way to run SQL on either dialect (issue 14): the statements of `db/` that both SQLite and
 * Postgres understand are written once, against this interface, with `?` or `@name` parameters.
 * Each dialect implements it (db/sqlite/client.ts, db/postgres/client.ts); what the two dialects
 * spell differently comes from {@link SqlDialect} (db/sql/dialect.ts), never from a branch in a query.
 *
 * Portable SQL, in short: quote camelCase aliases (`AS "siteCode"`: Postgres folds unquoted names
 * to lower case); compare flags with TRUE/FALSE, never 1/0; no scalar min()/max() of two values
 * (`dialect.least`/`greatest`); no sum() of a comparison (`count(*) FILTER (WHERE …)`); a
 * SELECT's columns are grouped or aggregated. Flags come back as JavaScript booleans on both
 * dialects when selected through `dialect.flag` (SQLite has no boolean type).
 */

/** Positional (`?`) or named (`@name`) parameters. */
export type SqlParams = readonly unknown[] | Readonly<Record<string, unknown>>;

export interface SqlClient {
  readonly dialect: 'sqlite' | 'postgres';
  /** Every row of a query. */
  all<R>(text: string, params?: SqlParams): Promise<R[]>;
  /** The first row of a query, if any. */
  get<R>(text: string, params?: SqlParams): Promise<R | undefined>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(text: string, params?: SqlParams): Promise<number>;
  /**
   * Runs `work` in one transaction on one connection (committed when it resolves, rolled back when
   * it throws). Statements inside must go through the `tx` it is given.
   */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
}

/**
 * `?` and `@name` placeholders as Postgres's `$1`, `$2`, … with the values in that order. String
 * literals, quoted identifiers and comments are left alone; `@name` used twice gets one number.
 */
export function toNumbered(text: string, params: SqlParams | undefined): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const named = params && !Array.isArray(params) ? (params as Record<string, unknown>) : null;
  const positional = Array.isArray(params) ? params : [];
  const numberOf = new Map<string, number>();
  let next = 0;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop + 1);
      i = stop;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      if (next >= positional.length) throw new Error(`SQL has more ? placeholders than the ${positional.length} values given`);
      values.push(positional[next++]);
      out += `$${values.length}`;
    } else if (c === '@' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))![0];
      if (!named || !(match in named)) throw new Error(`SQL names @${match} but no such parameter was given`);
      let n = numberOf.get(match);
      if (n === undefined) {
        values.push(named[match]);
        n = values.length;
        numberOf.set(match, n);
      }
      out += `$${n}`;
      i += match.length;
    } else {
      out += c;
    }
  }
  return { text: out, values };
}
