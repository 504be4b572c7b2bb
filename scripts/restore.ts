/**
 * `npm run restore -- --from PATH [--force]`
 *
 * Replaces DATABASE_URL's file with a backup (PATH: the snapshot or its manifest), after verifying
 * the manifest's SHA-256, `PRAGMA integrity_check` and the schema migration. On Postgres
 * (DATABASE_URL=postgres://...), the same checks of a pg_dump snapshot, then pg_restore --clean
 * --single-transaction into the database; a snapshot of the other dialect is refused. The replaced file is
 * kept beside it (`<name>.replaced-<UTC time>`). Refuses, with one sentence and exit 1, a snapshot
 * that fails any check (the current database is left untouched) and, without --force, while the
 * web server or a sync holds the database.
 */
import { parseArgs } from 'node:util';
import { BackupError, backupSubject, listBackups, restoreBackupInto } from '@/db/backup';
import { getConfigOrExit } from '@/lib/env';

const usage = 'Usage: npm run restore -- --from PATH [--force]';
const config = getConfigOrExit();

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

let args: { from?: string; force?: boolean };
try {
  args = parseArgs({ options: { from: { type: 'string' }, force: { type: 'boolean', default: false } } }).values;
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
}
if (!args.from) {
  const backups = listBackups(config.backupDir, backupSubject(config.storage)).filter((b) => b.good);
  const list = backups.slice(0, 10).map((b) => `  ${b.snapshotPath}  (${b.manifest.createdAt})`);
  fail(`--from is required.\n${usage}\n${list.length ? `Newest backups in ${config.backupDir}:\n${list.join('\n')}` : `There are no backups in ${config.backupDir}.`}`);
}

try {
  const result = await restoreBackupInto(config.storage, { from: args.from, force: args.force ?? false });
  const m = result.manifest;
  const into = config.storage.dialect === 'sqlite' ? config.storage.path : config.storage.label;
  console.log(`Restored ${result.snapshotPath} (taken ${m.createdAt}, ${(m.tables.transactions ?? 0).toLocaleString('en-US')} transactions) into ${into}.`);
  if (config.storage.dialect === 'sqlite') {
    console.log(result.replacedPath ? `The database it replaced is kept as ${result.replacedPath}.` : 'There was no database to replace.');
  }
  if (result.overridden.length) console.log('Restart Washboard now: the processes that had the database open still see the replaced file.');
  process.exit(0);
} catch (error) {
  if (error instanceof BackupError) fail(error.message, 1);
  fail(`The restore failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`, 1);
}
