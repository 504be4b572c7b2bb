/**
 * The schema migrations this version of Washboard knows, as drizzle records them in
 * `__drizzle_migrations` (`created_at` = the journal's `when`, `hash` = SHA-256 of the SQL file),
 * so a snapshot's schema can be named in its manifest and checked before a restore.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { MIGRATIONS_FOLDER } from '@/db';

export interface MigrationMark {
  hash: string;
  createdAt: number;
  tag: string | null;
}

/** Every migration in db/migrations, oldest first. */
export function knownMigrations(folder: string = MIGRATIONS_FOLDER): MigrationMark[] {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number; tag: string }[] };
  const tags = new Map(journal.entries.map((e) => [e.when, e.tag]));
  return readMigrationFiles({ migrationsFolder: folder }).map((m) => ({ hash: m.hash, createdAt: m.folderMillis, tag: tags.get(m.folderMillis) ?? null }));
}
