/**
 * Which processes hold the database file open to write it (the web server, a CLI sync), so that
 * `npm run restore` can refuse to swap the file under them.
 *
 * Each holder is one small file in `<database>-holders/` (beside SQLite's own `-wal` and `-shm`),
 * named after its owner (`host:pid:tag`, see lib/process/owner) and touched every few seconds.
 * Files, not rows: the check must work when the database file is the thing that was lost. Robust to
 * crashes without any cleanup: a holder whose pid is gone on this host is ignored at once, and one
 * on another host (a shared folder) once it has not been touched for {@link HOLDER_STALE_MS}.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isClaimLive, newOwner, parseOwner } from '@/lib/process/owner';

export type HolderRole = 'web' | 'sync';

/** How often a holder touches its file. */
export const HOLDER_HEARTBEAT_MS = 5_000;
/** A file untouched for this long belongs to a process that is gone (or frozen). */
export const HOLDER_STALE_MS = 30_000;

export interface Holder {
  role: HolderRole;
  owner: string;
  host: string;
  pid: number;
  startedAt: number;
  /** When the holder last touched its file (epoch ms). */
  seenAt: number;
}

export interface DatabaseHold {
  owner: string;
  /** Stops the heartbeat and removes the file (also done when the process exits normally). */
  release(): void;
}

export function holdersDir(databasePath: string): string {
  return `${databasePath}-holders`;
}

const fileFor = (databasePath: string, role: HolderRole, owner: string) =>
  path.join(holdersDir(databasePath), `${role}-${owner.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);

/** Declares that this process writes the database until `release()` (or until it exits). */
export function holdDatabase(databasePath: string, role: HolderRole, owner: string = newOwner()): DatabaseHold {
  const parts = parseOwner(owner);
  const file = fileFor(databasePath, role, owner);
  const write = () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const holder: Omit<Holder, 'seenAt'> = { role, owner, host: parts?.host ?? '', pid: parts?.pid ?? process.pid, startedAt: Date.now() };
    fs.writeFileSync(file, `${JSON.stringify(holder)}\n`);
  };
  write();
  const timer = setInterval(() => {
    try {
      const at = new Date();
      fs.utimesSync(file, at, at);
    } catch {
      // Someone removed the folder (a restore with --force, a cleanup): put the file back.
      try {
        write();
      } catch {
        // Not writable right now; the next beat tries again.
      }
    }
  }, HOLDER_HEARTBEAT_MS);
  timer.unref?.();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearInterval(timer);
    fs.rmSync(file, { force: true });
  };
  // A normal exit (including process.exit) removes the file; a crash leaves it for liveness to judge.
  process.once('exit', release);
  return {
    owner,
    release: () => {
      process.off('exit', release);
      release();
    },
  };
}

/** The holders that are alive now, oldest first. Reads only: stale files are ignored, not removed. */
export function listHolders(databasePath: string, now: number = Date.now()): Holder[] {
  const dir = holdersDir(databasePath);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const holders: Holder[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const seenAt = fs.statSync(file).mtimeMs;
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Holder>;
      if (typeof data.owner !== 'string' || (data.role !== 'web' && data.role !== 'sync')) continue;
      if (!isClaimLive(data.owner, seenAt + HOLDER_STALE_MS, now)) continue;
      holders.push({
        role: data.role,
        owner: data.owner,
        host: String(data.host ?? ''),
        pid: Number(data.pid ?? 0),
        startedAt: Number(data.startedAt ?? seenAt),
        seenAt,
      });
    } catch {
      // Removed while we looked, or half-written: not a holder we can vouch for.
    }
  }
  return holders.sort((a, b) => a.startedAt - b.startedAt);
}

/** "the web server (process 123 on host-a)" */
export function describeHolder(holder: Pick<Holder, 'role' | 'pid' | 'host'>): string {
  return `${holder.role === 'web' ? 'the web server' : 'a sync'} (process ${holder.pid} on ${holder.host || 'an unknown host'})`;
}
