/**
 * `npm run db:copy -- --to postgres://USER:PASSWORD@HOST/DATABASE`
 *
 * Copies the configured SQLite archive (DATABASE_URL's file, or the default one) into an EMPTY
 * Postgres database (issue 14), printing each table's progress, then verifies the copy: every
 * table's row count and the daily report's totals per database, site and day. Says in one
 * sentence whether the copy is exact; exit 0 only when it is. Bad input gets one sentence (exit 2),
 * a refused or failed copy exit 1; the password is never printed.
 *
 * Stop the web server and syncs first: a write during the copy makes the verification differ.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase, openPostgres, type PostgresAppDatabase, type SqliteAppDatabase } from '@/db';
import { copyArchive, tableCounts } from '@/db/copy';
import { verifyCopy } from '@/db/copy-verify';
import { connectionProblem } from '@/db/postgres/errors';
import { getConfigOrExit, isPostgresUrl, redactDatabaseUrl } from '@/lib/env';

const usage = 'Usage: npm run db:copy -- --to postgres://USER:PASSWORD@HOST:5432/DATABASE';

class InputError extends Error {}

function parseTarget(argv: string[]): string {
  let to: string | undefined;
  try {
    to = parseArgs({ args: argv, options: { to: { type: 'string' } } }).values.to;
  } catch (error) {
    throw new InputError(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
  if (!to) throw new InputError(`Name the Postgres database to copy into with --to.\n${usage}`);
  // The value itself is not echoed: whatever it is, it may hold a password.
  if (!isPostgresUrl(to)) throw new InputError(`--to must be a postgres:// URL, such as postgres://USER:PASSWORD@HOST:5432/DATABASE.`);
  try {
    new URL(to);
  } catch {
    throw new InputError(`--to is not a URL that can be read; write it as postgres://USER:PASSWORD@HOST:5432/DATABASE.`);
  }
  return to;
}

/** Opens the target and checks it is reachable and empty; one sentence when not. */
async function openTarget(url: string): Promise<PostgresAppDatabase> {
  const target = openPostgres(url, { maxConnections: 4 });
  try {
    await target.ready;
  } catch (error) {
    await target.close().catch(() => undefined);
    throw new InputError(connectionProblem(url, error));
  }
  const filled = [...(await tableCounts(target))].filter(([, n]) => n > 0);
  if (filled.length) {
    await target.close();
    const [table, n] = filled[0]!;
    throw new InputError(
      `The Postgres database ${target.label} is not empty (${n} row${n === 1 ? '' : 's'} in ${table}${filled.length > 1 ? ` and ${filled.length - 1} more table${filled.length > 2 ? 's' : ''}` : ''}): db:copy copies into an empty database only.`,
    );
  }
  return target;
}

/** Prints a table's progress at most once a second, and when it is done. */
function progressPrinter(): { onProgress: (p: { table: string; rows: number }) => void; finish(): void } {
  let current: { table: string; rows: number } | null = null;
  let printedAt = 0;
  const print = () => current && console.error(`  ${current.table}: ${current.rows.toLocaleString('en-US')} rows`);
  return {
    onProgress(p) {
      if (current && current.table !== p.table) print();
      current = p;
      if (Date.now() - printedAt >= 1000) {
        printedAt = Date.now();
        print();
      }
    },
    finish: () => print(),
  };
}

async function main(): Promise<number> {
  const url = parseTarget(process.argv.slice(2));
  const config = getConfigOrExit();
  if (config.storage.dialect !== 'sqlite') throw new InputError('DATABASE_URL names a Postgres database: db:copy copies from a SQLite archive, so point DATABASE_URL at the SQLite file (or leave it unset).');
  if (!fs.existsSync(config.databasePath)) throw new InputError(`There is no SQLite archive at ${config.databasePath}; set DATABASE_URL to its file.`);
  let source: SqliteAppDatabase;
  try {
    source = openDatabase(config.databasePath);
  } catch (error) {
    throw new InputError(`The SQLite archive ${config.databasePath} cannot be opened (${error instanceof Error ? error.message.replace(/\.$/, '') : String(error)}).`);
  }
  let target: PostgresAppDatabase | undefined;
  try {
    target = await openTarget(url);
    console.error(`Copying ${config.databasePath} into ${target.label}…`);
    const started = performance.now();
    const progress = progressPrinter();
    await copyArchive(source, target, progress.onProgress);
    progress.finish();
    const seconds = (performance.now() - started) / 1000;
    const check = await verifyCopy(source, target);
    const summary = `${check.rows.toLocaleString('en-US')} rows in ${check.tables} tables copied in ${seconds.toFixed(1)} s`;
    if (check.differences.length) {
      console.log(`${summary}, but the copy is NOT exact: ${check.differences.join('; ')}.`);
      return 1;
    }
    console.log(`${summary}; the copy is exact: every table's row count and the report totals of all ${check.days.toLocaleString('en-US')} site-days match.`);
    return 0;
  } finally {
    await source.close();
    await target?.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof InputError) {
    console.error(error.message);
    process.exitCode = 2;
  } else {
    const url = process.argv.find((a) => isPostgresUrl(a));
    const message = error instanceof Error ? error.message : String(error);
    // Never the password, even inside a driver's message.
    const safe = url ? message.split(url).join(redactDatabaseUrl(url)) : message;
    console.error(`The copy failed: ${safe.replace(/\.$/, '')}.`);
    process.exitCode = 1;
  }
}
