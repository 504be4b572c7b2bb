/**
 * Where each e2e server keeps its data and log (issue 14: the suite runs against SQLite and
 * Postgres). The config starts one server per storage; specs read the storage of their project
 * through the `storage` fixture (tests/e2e/fixtures.ts), e.g. to run a CLI against the same data.
 */
export interface E2EStorage {
  name: 'sqlite' | 'postgres';
  port: number;
  databaseUrl: string;
  /** The server's output, also written to a file: the auth spec checks that no secret reaches it. */
  serverLog: string;
  /** The server's backup folder. */
  backupDir: string;
}

const PORT = Number(process.env.E2E_PORT ?? 3100);

export const E2E_SQLITE: E2EStorage = {
  name: 'sqlite',
  port: PORT,
  databaseUrl: process.env.E2E_DATABASE_URL ?? './test-results/e2e/washboard.db',
  serverLog: './test-results/e2e-auth/server.log',
  backupDir: './test-results/e2e/backups',
};

/** The Postgres server's administrative URL: WASHBOARD_TEST_POSTGRES, or pg_virtualenv's PG* variables. */
function postgresAdminUrl(): string | null {
  if (process.env.WASHBOARD_TEST_POSTGRES) return process.env.WASHBOARD_TEST_POSTGRES;
  const { PGHOST, PGPORT, PGUSER, PGPASSWORD } = process.env;
  if (!PGHOST || !PGUSER) return null;
  const auth = `${encodeURIComponent(PGUSER)}${PGPASSWORD ? `:${encodeURIComponent(PGPASSWORD)}` : ''}`;
  return PGHOST.startsWith('/')
    ? `postgres://${auth}@localhost:${PGPORT ?? 5432}/postgres?host=${encodeURIComponent(PGHOST)}`
    : `postgres://${auth}@${PGHOST}:${PGPORT ?? 5432}/postgres`;
}

const admin = postgresAdminUrl();

/** The Postgres storage, when a server is there (always under `npm test`, which starts one). */
export const E2E_POSTGRES: E2EStorage | null = admin
  ? {
      name: 'postgres',
      port: PORT + 1,
      databaseUrl: (() => {
        const u = new URL(admin);
        u.pathname = '/washboard_e2e';
        return u.toString();
      })(),
      serverLog: './test-results/e2e-auth/server-postgres.log',
      backupDir: './test-results/e2e-postgres/backups',
    }
  : null;

/** Back-compat names for the SQLite storage. */
export const E2E_DATABASE_URL = E2E_SQLITE.databaseUrl;
export const E2E_SERVER_LOG = E2E_SQLITE.serverLog;
