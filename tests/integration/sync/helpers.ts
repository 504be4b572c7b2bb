/**
 * A temporary database of either dialect (SQLite file or Postgres database) and a simulator on
 * loopback, wired to a sync runtime as the app does it.
 */
import path from 'node:path';
import { openDatabase, openPostgres, type AppDatabase, type SqliteAppDatabase } from '@/db';
import { parseEnv } from '@/lib/env';
import { addDays, toLocalDate } from '@/lib/calendar';
import { startSimulator, type Simulator, type SimulatorOptions } from '@/lib/simulator';
import { createSyncRuntime, type RuntimeOptions, type SyncRuntime } from '@/lib/sync/runtime';
import type { SyncOptions } from '@/lib/sync/engine';
import { freshPostgresDatabase, openTestDatabase, type TestDialect } from '../../support/postgres';

export const RATE = { limit: 20, windowMs: 400 };

export interface DialectHarness {
  dialect: TestDialect;
  /** The SQLite file's path or the Postgres database's URL: what DATABASE_URL names. */
  url: string;
  db: AppDatabase;
  sim: Simulator;
  runtime: SyncRuntime;
  /** Another connection to the same database, as a second process would open it (caller closes it). */
  openAnother(): AppDatabase;
  close(): Promise<void>;
}

/** A harness on SQLite, with its file and folder (the tests of SQLite-only tools: backups). */
export interface Harness extends DialectHarness {
  db: SqliteAppDatabase;
  dir: string;
  file: string;
}

interface HarnessOptions {
  dialect?: TestDialect;
  sim?: SimulatorOptions;
  sync?: SyncOptions;
  env?: Record<string, string>;
  sharedSim?: Simulator;
  client?: RuntimeOptions['client'];
}

export async function startHarness(options?: HarnessOptions & { dialect?: 'sqlite' }): Promise<Harness>;
export async function startHarness(options: HarnessOptions): Promise<DialectHarness>;
export async function startHarness(options: HarnessOptions = {}): Promise<DialectHarness> {
  const dialect = options.dialect ?? 'sqlite';
  const storage = await openTestDatabase(dialect, 'sync');
  const { db, url } = storage;
  const sim =
    options.sharedSim ??
    (await startSimulator({
      throttle: RATE,
      lateUploads: { rate: 0 },
      laterVoids: { rate: 0 },
      ...options.sim,
    }));
  // Sales only unless a test asks for the car-wash KPI data (SYNC_KPIS: 'on'): most of these tests
  // count v2 pages and requests; the KPI data has its own tests.
  const config = parseEnv({ DATABASE_URL: url, SONNYS_RATE_LIMIT: `${RATE.limit}/${RATE.windowMs}ms`, SYNC_KPIS: 'off', ...options.env });
  const runtime = await createSyncRuntime({
    config,
    db,
    simulator: sim,
    sync: { now: () => sim.clock.now(), backfillDays: 3, ...options.sync },
    ...(options.client ? { client: options.client } : {}),
  });
  return {
    dialect,
    url,
    ...(dialect === 'sqlite' ? { dir: path.dirname(url), file: url } : {}),
    db,
    sim,
    runtime,
    openAnother: () => (dialect === 'sqlite' ? openDatabase(url) : openPostgres(url)),
    close: async () => {
      await runtime.close();
      if (!options.sharedSim) await sim.close();
      await storage.cleanup();
    },
  };
}

/**
 * An empty database for a CLI child process to create and sync (what its DATABASE_URL names): a
 * file in `dir` on SQLite, a database of its own on Postgres. The tests read it between and after
 * the children's runs through `read`.
 */
export interface CliDatabase {
  dialect: TestDialect;
  url: string;
  /** Opens it; without migrations unless asked (the CLI under test creates the schema). */
  open(migrate?: boolean): AppDatabase;
  /** Opens it, runs `query` and closes it again. */
  read<T>(query: (db: AppDatabase) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

export async function cliDatabase(dialect: TestDialect, dir: string, name: string): Promise<CliDatabase> {
  const postgres = dialect === 'postgres' ? await freshPostgresDatabase(`cli_${name}`) : undefined;
  const url = postgres?.url ?? path.join(dir, `${name}.db`);
  const open = (migrate = false): AppDatabase => (postgres ? openPostgres(url, { migrate }) : openDatabase(url, { migrate }));
  return {
    dialect,
    url,
    open,
    async read(query) {
      const db = open();
      try {
        return await query(db);
      } finally {
        await db.close();
      }
    },
    drop: async () => postgres?.drop(),
  };
}

/** The first column of a query's first row, as a number (counts and sums on either dialect). */
export async function scalar(db: AppDatabase, sql: string, ...params: unknown[]): Promise<number> {
  const row = await db.sql.get<Record<string, unknown>>(sql, params);
  return Number(row ? Object.values(row)[0] : 0);
}

const ZERO = {
  transactions: 0, revenueCents: 0, paidCount: 0, membershipSales: 0, membershipSalesRevenueCents: 0,
  redemptions: 0, voided: 0, refunds: 0, refundsCents: 0,
};

/** Every (database, site, local day) of the last `days` days, with the simulator's truth and our rollup. */
export async function compareWithTruth(h: Pick<DialectHarness, 'db' | 'sim'>, days: number, databases?: string[]) {
  const rows: { key: string; truth: Record<string, number>; stored: Record<string, number> }[] = [];
  for (const database of h.sim.world.databases.filter((d) => !databases || databases.includes(d.key))) {
    for (const site of database.sites) {
      const zone = h.sim.truth.timezoneOf(database.key, site.code);
      const today = toLocalDate(h.sim.clock.now(), zone);
      for (let i = 0; i < days; i++) {
        const day = addDays(today, -i);
        const t = h.sim.truth.day({ database: database.key, site: site.code, day });
        const stored =
          (await h.db.sql.get<Record<string, number>>(
            `SELECT transactions, revenue_cents AS "revenueCents", sales_count AS "paidCount", membership_sales AS "membershipSales",
               membership_sales_cents AS "membershipSalesRevenueCents", redemptions, voided, refunds, refunds_cents AS "refundsCents"
             FROM daily_rollups WHERE database_key = ? AND site_code = ? AND local_day = ?`,
            [database.key, site.code, day],
          )) ?? ZERO;
        rows.push({
          key: `${database.key}/${site.code}/${day}`,
          truth: {
            transactions: t.completed,
            revenueCents: t.revenueCents,
            paidCount: t.paidCount,
            membershipSales: t.membershipSales,
            membershipSalesRevenueCents: t.membershipSalesRevenueCents,
            redemptions: t.redemptions,
            voided: t.voided,
            refunds: t.refunds,
            refundsCents: t.refundsCents,
          },
          stored,
        });
      }
    }
  }
  return rows;
}
