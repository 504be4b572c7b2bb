/**
 * `tsx tests/e2e/postgres-database.ts <url>`: drops and creates the database the URL names, so the
 * Postgres e2e server starts on an empty one, as the SQLite server starts on a new file.
 */
import pg from 'pg';

const url = new URL(process.argv[2]!);
const name = url.pathname.slice(1);
url.pathname = '/postgres';
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
await client.query(`CREATE DATABASE "${name}"`);
await client.end();
