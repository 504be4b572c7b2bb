/**
 * Several instances on one Postgres database (issue 14): `startRun` is atomic across processes,
 * so triggers fired together from separate pools (as two web servers would) start exactly one run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresAppDatabase } from '@/db';
import { newOwner } from '@/lib/process/owner';
import { freshPostgresDatabase } from '../../support/postgres';

let database: { url: string; drop(): Promise<void> };
let pools: PostgresAppDatabase[] = [];

beforeAll(async () => {
  database = await freshPostgresDatabase('store-concurrency');
  pools = [openPostgres(database.url), openPostgres(database.url)];
  for (const p of pools) await p.ready;
  await pools[0]!.registerDatabases([{ key: 'washu', name: 'Wash U', apiId: 'x', defaultTimezone: 'America/Chicago', isDemo: true }]);
});
afterAll(async () => {
  for (const p of pools) await p.close();
  await database.drop();
});

describe('startRun on Postgres from two pools at once', () => {
  it('starts exactly one run among 20 concurrent triggers, and another once the lease is released', async () => {
    const now = Date.now();
    const owners = Array.from({ length: 20 }, () => newOwner());
    const results = await Promise.all(
      owners.map((owner, i) =>
        pools[i % 2]!.syncStore.startRun({ databaseKey: 'washu', trigger: 'manual', owner, now, leaseUntil: now + 60_000, priority: 'interactive' }),
      ),
    );
    const started = results.filter((r) => r.started);
    expect(started).toHaveLength(1);
    // Everyone else was told which run holds the lease.
    expect(new Set(results.map((r) => r.runId))).toEqual(new Set([started[0]!.runId]));
    expect(await pools[1]!.sql.get('SELECT count(*) AS n FROM sync_runs')).toEqual({ n: 1 });
    expect(await pools[0]!.syncStore.isLeaseLive('washu', started[0]!.runId, now)).toBe(true);

    const owner = owners[results.indexOf(started[0]!)]!;
    const progress = { plannedRequests: 1, doneRequests: 1, rows: 0, etaAt: null };
    await pools[1]!.syncStore.finishRun({ databaseKey: 'washu', runId: started[0]!.runId, owner, now, status: 'succeeded', message: 'ok', progress });
    expect(await pools[0]!.syncStore.isLeaseLive('washu', started[0]!.runId, now)).toBe(false);
    const again = await Promise.all(
      owners.slice(0, 6).map((o, i) =>
        pools[i % 2]!.syncStore.startRun({ databaseKey: 'washu', trigger: 'manual', owner: o, now: now + 1, leaseUntil: now + 60_000, priority: 'interactive' }),
      ),
    );
    expect(again.filter((r) => r.started)).toHaveLength(1);
  });

  it('takes over an expired lease once, recording the dead run as interrupted', async () => {
    const later = Date.now() + 120_000;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        pools[i % 2]!.syncStore.startRun({ databaseKey: 'washu', trigger: 'scheduled', owner: newOwner(), now: later, leaseUntil: later + 60_000, priority: 'background' }),
      ),
    );
    expect(results.filter((r) => r.started)).toHaveLength(1);
    const statuses = await pools[0]!.sql.all<{ status: string }>('SELECT status FROM sync_runs ORDER BY id');
    expect(statuses.map((s) => s.status)).toEqual(['succeeded', 'interrupted', 'running']);
  });
});
