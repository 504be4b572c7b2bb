/**
 * `restoreBackup`: puts a snapshot back as the live database, after checking everything first.
 *
 * 1. The manifest beside the snapshot, and the snapshot's size.
 * 2. Nobody holds the database (the web server, a CLI sync: see db/holders.ts; and no live sync
 *    lease in the current file), unless `force`.
 * 3. A private copy of the snapshot, beside the database: its SHA-256 must be the manifest's,
 *    `PRAGMA integrity_check` must say ok, and its schema migration must be the manifest's and one
 *    this version of Washboard knows (a snapshot from a newer version is refused).
 * 4. Only then the swap: the current file (its WAL checkpointed into it first, when it opens) is
 *    kept beside it as `<name>.replaced-<UTC time>`, with any `-wal`/`-shm` it had, and the
 *    checked copy is renamed into place (one atomic rename). A stale `-wal` is never left beside
 *    the restored file, where SQLite would replay it into the wrong database.
 *
 * Any failed check throws a {@link BackupError} with one sentence, before the live file is touched.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describeHolder, listHolders, type Holder } from '@/db/holders';
import { isClaimLive, parseOwner } from '@/lib/process/owner';
import { BackupError } from './errors';
import { MANIFEST_SUFFIX, readManifest, SNAPSHOT_SUFFIX, type BackupManifest } from './manifest';
import { knownMigrations } from './migrations';
import { runBackupWorker } from './worker';

export interface RestoreResult {
  snapshotPath: string;
  manifest: BackupManifest;
  /** Where the replaced database now is; null when there was none. */
  replacedPath: string | null;
  /** Holders that were alive and overridden with `force`. */
  overridden: Pick<Holder, 'role' | 'pid' | 'host'>[];
}

/** The snapshot and manifest for a `--from` that names either of them. */
export function resolveBackupFiles(from: string): { snapshotPath: string; manifestPath: string } {
  const full = path.resolve(from);
  if (full.endsWith(MANIFEST_SUFFIX)) {
    const manifest = readManifest(full);
    return { manifestPath: full, snapshotPath: path.join(path.dirname(full), manifest?.snapshot ?? path.basename(full).slice(0, -MANIFEST_SUFFIX.length) + SNAPSHOT_SUFFIX) };
  }
  return { snapshotPath: full, manifestPath: full.replace(/\.(db|dump)$/i, '') + MANIFEST_SUFFIX };
}

/** Processes that hold the database now: holder files, and live sync leases recorded in the file itself. */
export function currentHolders(databasePath: string, now: number = Date.now()): Pick<Holder, 'role' | 'pid' | 'host'>[] {
  const holders: Pick<Holder, 'role' | 'pid' | 'host'>[] = listHolders(databasePath, now);
  if (!fs.existsSync(databasePath)) return holders;
  try {
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 2000');
      const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_leases'").get();
      const leases = table ? (db.prepare('SELECT owner, expires_at AS expiresAt FROM sync_leases').all() as { owner: string; expiresAt: number }[]) : [];
      for (const lease of leases) {
        if (!isClaimLive(lease.owner, lease.expiresAt, now)) continue;
        const owner = parseOwner(lease.owner);
        if (holders.some((h) => h.pid === owner?.pid && h.host === owner?.host)) continue;
        holders.push({ role: 'sync', pid: owner?.pid ?? 0, host: owner?.host ?? '' });
      }
    } finally {
      db.close();
    }
  } catch {
    // A damaged current file holds no lease we could honour; the holder files still count.
  }
  return holders;
}

/** The sentence for a snapshot of one dialect restored into the other. */
export function dialectMismatch(snapshotPath: string, snapshot: 'sqlite' | 'postgres', target: 'sqlite' | 'postgres'): string {
  const name = { sqlite: 'SQLite', postgres: 'Postgres' };
  return `${snapshotPath} is a ${name[snapshot]} backup and DATABASE_URL names a ${name[target]} database: restore it into ${name[snapshot]}${snapshot === 'sqlite' ? ', then use npm run db:copy to move it' : ''}; nothing was restored.`;
}

const stamp = (at: Date) => at.toISOString().replace(/:/g, '-');

function refuseIfHeld(databasePath: string, force: boolean): Pick<Holder, 'role' | 'pid' | 'host'>[] {
  const holders = currentHolders(databasePath);
  if (holders.length && !force) {
    throw new BackupError(
      `Washboard is using ${databasePath} (${holders.map(describeHolder).join(', ')}); stop it first, or pass --force if it is not running.`,
    );
  }
  return holders;
}

/** Verifies `from` and makes it the database at `databasePath`. */
export async function restoreBackup(input: { from: string; databasePath: string; force?: boolean; now?: Date }): Promise<RestoreResult> {
  const { databasePath } = input;
  const force = input.force ?? false;
  const { snapshotPath, manifestPath } = resolveBackupFiles(input.from);
  if (!fs.existsSync(snapshotPath)) throw new BackupError(`There is no backup at ${snapshotPath}.`);
  if (!fs.existsSync(manifestPath)) {
    throw new BackupError(`${snapshotPath} has no manifest beside it (${path.basename(manifestPath)}), so it cannot be verified; nothing was restored.`);
  }
  const manifest = readManifest(manifestPath);
  if (!manifest) throw new BackupError(`${manifestPath} is not a Washboard backup manifest; nothing was restored.`);
  if (manifest.dialect !== 'sqlite') throw new BackupError(dialectMismatch(snapshotPath, manifest.dialect, 'sqlite'));
  const size = fs.statSync(snapshotPath).size;
  if (size !== manifest.sizeBytes) {
    throw new BackupError(`${snapshotPath} is ${size} bytes but its manifest says ${manifest.sizeBytes}: it is incomplete or was changed; nothing was restored.`);
  }
  refuseIfHeld(databasePath, force);

  fs.mkdirSync(path.dirname(databasePath), { recursive: true });
  const candidate = `${databasePath}.restoring-${process.pid}`;
  try {
    fs.copyFileSync(snapshotPath, candidate);
    await verifyCandidate(candidate, snapshotPath, manifest);
    const overridden = refuseIfHeld(databasePath, force);
    const replacedPath = swapIn(candidate, databasePath, input.now ?? new Date());
    return { snapshotPath, manifest, replacedPath, overridden };
  } finally {
    fs.rmSync(candidate, { force: true });
  }
}

async function verifyCandidate(candidate: string, snapshotPath: string, manifest: BackupManifest): Promise<void> {
  const facts = await runBackupWorker({ op: 'inspect', file: candidate });
  if (facts.sha256 !== manifest.sha256) {
    throw new BackupError(`${snapshotPath} does not match the SHA-256 checksum in its manifest: it was damaged or changed after the backup; nothing was restored.`);
  }
  if (facts.unreadable) {
    throw new BackupError(`${snapshotPath} is not a readable SQLite database (${facts.unreadable.replace(/\.$/, '')}); nothing was restored.`);
  }
  if (facts.problems.length) {
    throw new BackupError(`${snapshotPath} fails SQLite's integrity check (${facts.problems[0]}); nothing was restored.`);
  }
  const stated = manifest.migration;
  const actual = facts.migration;
  if ((stated === null) !== (actual === null) || (stated && actual && (stated.hash !== actual.hash || stated.createdAt !== actual.createdAt))) {
    throw new BackupError(`${snapshotPath} is at another schema migration than its manifest says; nothing was restored.`);
  }
  if (!actual) throw new BackupError(`${snapshotPath} is not a Washboard database (it has no schema migrations); nothing was restored.`);
  if (!knownMigrations().some((m) => m.hash === actual.hash && m.createdAt === actual.createdAt)) {
    const name = stated?.tag ? ` (${stated.tag})` : '';
    throw new BackupError(
      `${snapshotPath} was made by a version of Washboard whose schema${name} this version does not know; restore it with that version; nothing was restored.`,
    );
  }
}

/** Moves the current database (and its WAL files) aside and the verified copy into place. */
function swapIn(candidate: string, databasePath: string, at: Date): string | null {
  const replaced = `${databasePath}.replaced-${stamp(at)}`;
  const exists = fs.existsSync(databasePath);
  if (exists) {
    try {
      // Fold the WAL into the file, so the kept copy is whole by itself.
      const db = new Database(databasePath, { fileMustExist: true });
      try {
        db.pragma('busy_timeout = 5000');
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
    } catch {
      // Damaged or locked: its -wal and -shm move with it below, nothing is lost.
    }
  }
  let kept = false;
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (!fs.existsSync(databasePath + suffix)) continue;
    fs.renameSync(databasePath + suffix, replaced + suffix);
    kept = true;
  }
  fs.renameSync(candidate, databasePath);
  try {
    const dir = fs.openSync(path.dirname(databasePath), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  } catch {
    // Not every platform lets a folder be fsynced; the rename itself is atomic.
  }
  return kept ? replaced : null;
}
