/**
 * A backup is two files in the backup folder, named after the database file and the UTC time the
 * snapshot was taken: `washboard-2026-11-01T03-00-00.000Z.db` and, beside it, its manifest
 * `washboard-2026-11-01T03-00-00.000Z.manifest.json`. The manifest is written last, after the
 * snapshot passed its checks: a snapshot without one is not a good backup, and is never counted as
 * one (nor restored, nor used to decide what retention may delete).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const MANIFEST_SUFFIX = '.manifest.json';
export const SNAPSHOT_SUFFIX = '.db';
/** A Postgres snapshot: `pg_dump --format=custom` (issue 14). */
export const DUMP_SUFFIX = '.dump';
/** A snapshot being written; renamed to `.db` once it passed its checks. */
export const PARTIAL_SUFFIX = '.db.partial';
export const DUMP_PARTIAL_SUFFIX = '.dump.partial';

export const manifestSchema = z.object({
  app: z.literal('washboard'),
  version: z.literal(1),
  /** When the snapshot was taken (UTC, ISO 8601). */
  createdAt: z.iso.datetime(),
  /** What the snapshot is: a SQLite file, or a Postgres custom-format dump. Manifests from before Postgres say nothing: SQLite. */
  dialect: z.enum(['sqlite', 'postgres']).default('sqlite'),
  /** File name of the snapshot, in the manifest's folder. */
  snapshot: z.string().regex(/^[^/\\]+\.(db|dump)$/),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Newest row of drizzle's `__drizzle_migrations`: the schema the snapshot is at (the dialect's own migrations). */
  migration: z
    .object({
      hash: z.string(),
      createdAt: z.number().int(),
      /** The migration's name in db/migrations (e.g. `0004_covering_rollup_indexes`), when known. */
      tag: z.string().nullable(),
    })
    .nullable(),
  /** Rows per table. */
  tables: z.record(z.string(), z.number().int().nonnegative()),
  /** Newest local day synced in full, per database (from `site_coverage`). */
  newestSyncedDay: z.record(z.string(), z.string()),
  /** The database file it was taken from (on Postgres: its URL without the password). */
  source: z.string(),
  /** Seconds the snapshot took (copy and checks). */
  seconds: z.number().nonnegative(),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

/**
 * What a backup is taken of: a SQLite file, or a Postgres database (lib/env.ts's storage
 * configuration has this shape).
 */
export type BackupSource = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/**
 * The name a source's backups are listed under (the SQLite file's path; for Postgres, the database
 * name with `-pg`, so a SQLite archive and its Postgres copy may share a folder without mixing).
 */
export function backupSubject(source: BackupSource): string {
  if (source.dialect === 'sqlite') return source.path;
  const name = decodeURIComponent(new URL(source.url).pathname.replace(/^\//, '')) || 'postgres';
  return `${name}-pg`;
}

export interface BackupEntry {
  manifestPath: string;
  snapshotPath: string;
  manifest: BackupManifest;
  /** `createdAt` in epoch ms. */
  at: number;
  /** The snapshot is there with the size its manifest says (the checksum is checked on restore). */
  good: boolean;
}

const stemOf = (databasePath: string) => path.basename(databasePath).replace(/\.(db|sqlite3?)$/i, '') || 'washboard';
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The files' common name: the database file's name and the UTC time, without `:` (Windows). */
export function backupBaseName(databasePath: string, at: Date): string {
  return `${stemOf(databasePath)}-${at.toISOString().replace(/:/g, '-')}`;
}

/** Matches this database's manifests only, so databases may share a backup folder. */
export function manifestNamePattern(databasePath: string): RegExp {
  return new RegExp(`^${escapeRegExp(stemOf(databasePath))}-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}Z${escapeRegExp(MANIFEST_SUFFIX)}$`);
}

export function readManifest(manifestPath: string): BackupManifest | undefined {
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(fs.readFileSync(manifestPath, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the manifest atomically (a reader never sees half of one). */
export function writeManifest(manifestPath: string, manifest: BackupManifest): void {
  const tmp = `${manifestPath}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  fs.renameSync(tmp, manifestPath);
}

/** The backups of the database at `databasePath` in `dir`, newest first. Manifests that do not parse are skipped. */
export function listBackups(dir: string, databasePath: string): BackupEntry[] {
  const pattern = manifestNamePattern(databasePath);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const entries: BackupEntry[] = [];
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const manifestPath = path.join(dir, name);
    const manifest = readManifest(manifestPath);
    if (!manifest) continue;
    const snapshotPath = path.join(dir, manifest.snapshot);
    let good = false;
    try {
      good = fs.statSync(snapshotPath).size === manifest.sizeBytes;
    } catch {
      good = false;
    }
    entries.push({ manifestPath, snapshotPath, manifest, at: Date.parse(manifest.createdAt), good });
  }
  return entries.sort((a, b) => b.at - a.at || b.snapshotPath.localeCompare(a.snapshotPath));
}

/** The newest good backup, if any. */
export function latestGoodBackup(dir: string, databasePath: string): BackupEntry | undefined {
  return listBackups(dir, databasePath).find((b) => b.good);
}
