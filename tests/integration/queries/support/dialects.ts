/**
 * The report fixture (./fixture.ts) on either dialect: built in SQLite as always, and for Postgres
 * copied with db/copy.ts into a fresh database, so the same assertions run on both.
 *
 * `db` is the connection tests write through; the data layer (`getDb()`) gets a connection of its
 * own to the same data, so a test write is "another connection's commit" on both dialects.
 */
import { closeDb, openDatabase, openPostgres, setDb, type AppDatabase } from '@/db';
import { copyArchive } from '@/db/copy';
import { freshPostgresDatabase, type TestDialect } from '@/tests/support/postgres';
import { createFixture, type Fixture } from './fixture';

export interface DialectFixture {
  dialect: TestDialect;
  /** The SQLite fixture the data came from (its rows are the expectations). */
  source: Fixture;
  rows: Fixture['rows'];
  /** What DATABASE_URL names: the SQLite file, or the Postgres database's URL. */
  url: string;
  /** A connection for the tests' own writes. */
  db: AppDatabase;
  close(): Promise<void>;
}

/**
 * The fixture on `dialect`, with the data layer pointed at it. `prepare` adds to the SQLite source
 * before it is copied (rows a test needs, written through SQLite's ingestor on both dialects).
 */
export async function createFixtureOn(dialect: TestDialect, label: string, prepare?: (source: Fixture) => void): Promise<DialectFixture> {
  const source = createFixture();
  prepare?.(source);
  await closeDb();
  if (dialect === 'sqlite') {
    setDb(openDatabase(source.file));
    return {
      dialect,
      source,
      rows: source.rows,
      url: source.file,
      db: source.db,
      async close() {
        await closeDb();
        source.close();
      },
    };
  }
  const database = await freshPostgresDatabase(label);
  const db = openPostgres(database.url);
  await copyArchive(source.db, db);
  setDb(openPostgres(database.url));
  return {
    dialect,
    source,
    rows: source.rows,
    url: database.url,
    db,
    async close() {
      await closeDb();
      await db.close();
      source.close();
      await database.drop();
    },
  };
}
