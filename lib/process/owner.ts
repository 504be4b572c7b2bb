/**
 * Who holds something shared through the SQLite file (a sync lease, the database itself), and
 * whether that holder is gone. An owner is `host:pid:tag`: on this host a dead pid is proof the
 * holder is gone at once (kill -9 leaves its rows behind, issue 13); on another host only a
 * missed heartbeat can tell, so every holder also heartbeats and callers pass its age.
 *
 * Framework-free: the sync engine, the backup tools and the CLIs use it alike.
 */
import crypto from 'node:crypto';
import os from 'node:os';

export interface OwnerParts {
  host: string;
  pid: number;
  tag: string;
}

/** A fresh owner string for this process: `host:pid:8-hex-chars`. */
export function newOwner(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
}

/** Splits `host:pid:tag` (parsed from the right: the tag and pid never hold a colon). */
export function parseOwner(owner: string): OwnerParts | undefined {
  const m = /^(.*):(\d+):([^:]*)$/.exec(owner);
  if (!m) return undefined;
  return { host: m[1]!, pid: Number(m[2]), tag: m[3]! };
}

/**
 * Whether a process of this host is running. `kill(pid, 0)` sends nothing: ESRCH means no such
 * process, EPERM means it exists under another user. A zombie (exited, not yet reaped by its
 * parent) still counts as running; its heartbeat stops, which ends its claims soon enough.
 */
export function isProcessRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when the owner's process is known dead: it ran on this host and its pid is gone. A
 * malformed owner (an older version's) is never declared dead here; its heartbeat decides.
 */
export function isOwnerDead(owner: string): boolean {
  const parts = parseOwner(owner);
  if (!parts || parts.host !== os.hostname()) return false;
  return !isProcessRunning(parts.pid);
}

/**
 * Whether a claim still stands: its owner is not dead and it was renewed recently enough
 * (`expiresAt` in the future). Both must hold; either failing means take over at once.
 */
export function isClaimLive(owner: string, expiresAt: number, now: number): boolean {
  return expiresAt > now && !isOwnerDead(owner);
}
