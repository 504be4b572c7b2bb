/** A temporary SQLite file and a simulator on loopback, wired to a sync runtime as the app does it. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type SqliteAppDatabase as AppDatabase } from '@/db';
import { parseEnv } from '@/lib/env';
import { addDays, toLocalDate } from '@/lib/calendar';
import { startSimulator, type Simulator, type SimulatorOptions } from '@/lib/simulator';
import { createSyncRuntime, type RuntimeOptions, type SyncRuntime } from '@/lib/sync/runtime';
import type { SyncOptions } from '@/lib/sync/engine';

export const RATE = { limit: 20, windowMs: 400 };

export interface Harness {
  dir: string;
  file: string;
  db: AppDatabase;
  sim: Simulator;
  runtime: SyncRuntime;
  close(): Promise<void>;
}

export async function startHarness(
  options: { sim?: SimulatorOptions; sync?: SyncOptions; env?: Record<string, string>; sharedSim?: Simulator; client?: RuntimeOptions['client'] } = {},
): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-sync-'));
  const file = path.join(dir, 'washboard.db');
  const db = openDatabase(file);
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
  const config = parseEnv({ DATABASE_URL: file, SONNYS_RATE_LIMIT: `${RATE.limit}/${RATE.windowMs}ms`, SYNC_KPIS: 'off', ...options.env });
  const runtime = await createSyncRuntime({
    config,
    db,
    simulator: sim,
    sync: { now: () => sim.clock.now(), backfillDays: 3, ...options.sync },
    ...(options.client ? { client: options.client } : {}),
  });
  return {
    dir,
    file,
    db,
    sim,
    runtime,
    close: async () => {
      await runtime.close();
      if (!options.sharedSim) await sim.close();
      db.sqlite.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every (database, site, local day) of the last `days` days, with the simulator's truth and our rollup. */
export function compareWithTruth(h: Pick<Harness, 'db' | 'sim'>, days: number, databases?: string[]) {
  const rows: { key: string; truth: Record<string, number>; stored: Record<string, number> }[] = [];
  const rollup = h.db.sqlite.prepare(
    `SELECT transactions, revenue_cents AS revenueCents, sales_count AS paidCount, membership_sales AS membershipSales,
       membership_sales_cents AS membershipSalesRevenueCents, redemptions, voided, refunds, refunds_cents AS refundsCents
     FROM daily_rollups WHERE database_key = ? AND site_code = ? AND local_day = ?`,
  );
  for (const database of h.sim.world.databases.filter((d) => !databases || databases.includes(d.key))) {
    for (const site of database.sites) {
      const zone = h.sim.truth.timezoneOf(database.key, site.code);
      const today = toLocalDate(h.sim.clock.now(), zone);
      for (let i = 0; i < days; i++) {
        const day = addDays(today, -i);
        const t = h.sim.truth.day({ database: database.key, site: site.code, day });
        const stored = (rollup.get(database.key, site.code, day) as Record<string, number> | undefined) ?? {
          transactions: 0, revenueCents: 0, paidCount: 0, membershipSales: 0, membershipSalesRevenueCents: 0,
          redemptions: 0, voided: 0, refunds: 0, refundsCents: 0,
        };
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
