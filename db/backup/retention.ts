/**
 * Tiered retention: of the good backups, keep the newest of each of the last 7 days, 4 ISO weeks
 * and 12 months that have one (UTC calendar; the policies overlap, as in restic's --keep-daily /
 * --keep-weekly / --keep-monthly). The newest good backup is always kept, and nothing is deleted
 * while there is only one good backup: a good copy is never traded for one that failed.
 *
 * Only good backups (manifest present, snapshot of the right size) take part; others are left
 * alone for a person to look at, except snapshots abandoned half-written (`.db.partial`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { listBackups, PARTIAL_SUFFIX, type BackupEntry } from './manifest';

export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 12 };

/** A `.db.partial` older than this belongs to a backup that died (a backup of 1 GB takes seconds). */
const ABANDONED_PARTIAL_MS = 60 * 60_000;

const dayKey = (at: number) => new Date(at).toISOString().slice(0, 10);
const monthKey = (at: number) => new Date(at).toISOString().slice(0, 7);

/** ISO 8601 week of a UTC instant, e.g. `2026-W09` (weeks start on Monday; week 1 holds a Thursday). */
export function isoWeekKey(at: number): string {
  const d = new Date(at);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(day + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Which backups (by id) the policy keeps. Pure: unit-tested directly. */
export function selectRetained(backups: readonly { id: string; at: number }[], policy: RetentionPolicy = DEFAULT_RETENTION): Set<string> {
  const newestFirst = [...backups].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
  const keep = new Set<string>();
  if (newestFirst[0]) keep.add(newestFirst[0].id);
  const tiers: [number, (at: number) => string][] = [
    [policy.daily, dayKey],
    [policy.weekly, isoWeekKey],
    [policy.monthly, monthKey],
  ];
  for (const [count, bucketOf] of tiers) {
    const buckets = new Set<string>();
    for (const b of newestFirst) {
      if (buckets.size >= count) break;
      const bucket = bucketOf(b.at);
      if (buckets.has(bucket)) continue;
      buckets.add(bucket);
      keep.add(b.id);
    }
  }
  return keep;
}

export interface PruneResult {
  kept: BackupEntry[];
  removed: BackupEntry[];
  /** Abandoned `.db.partial` files removed. */
  partials: string[];
}

/** Applies the policy to the backups of `databasePath` in `dir`. */
export function pruneBackups(
  dir: string,
  databasePath: string,
  options: { policy?: RetentionPolicy; now?: number } = {},
): PruneResult {
  const good = listBackups(dir, databasePath).filter((b) => b.good);
  const result: PruneResult = { kept: good, removed: [], partials: [] };
  if (good.length > 1) {
    const keep = selectRetained(
      good.map((b) => ({ id: b.manifestPath, at: b.at })),
      options.policy,
    );
    result.kept = good.filter((b) => keep.has(b.manifestPath));
    for (const b of good) {
      if (keep.has(b.manifestPath)) continue;
      // The manifest first: from that moment the snapshot no longer counts as a backup.
      fs.rmSync(b.manifestPath, { force: true });
      fs.rmSync(b.snapshotPath, { force: true });
      result.removed.push(b);
    }
  }
  const now = options.now ?? Date.now();
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith(PARTIAL_SUFFIX));
  } catch {
    // No folder: nothing to clean.
  }
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      if (now - fs.statSync(file).mtimeMs > ABANDONED_PARTIAL_MS) {
        fs.rmSync(file, { force: true });
        result.partials.push(file);
      }
    } catch {
      // Gone already.
    }
  }
  return result;
}
