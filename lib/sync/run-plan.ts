/**
 * The planner of one run: which chunks it works on. First what interrupted runs left (adopted),
 * then whatever else is due (planner.ts for sales, kpi-planner.ts for the car-wash data), minus
 * what was adopted; and, when Sync now joins a long run, today's and yesterday's sales again.
 * Reads what is stored through the {@link SyncStore}; writes only the run's chunk list.
 */
import { addDays, toLocalDate } from '@/lib/calendar';
import type { SyncOptions } from './options';
import { planKpis } from './kpi-planner';
import { planSync, type PlannedChunk, type PlanSite } from './planner';
import type { RunContext } from './run-context';
import type { ActiveSite, ChunkRow } from './store';

/** The same work whatever run planned it: a kind of data, a site and a range of days. */
export const sameWork = (a: Pick<ChunkRow, 'kind' | 'siteCode' | 'fromDay' | 'toDay'>) => `${a.kind}|${a.siteCode}|${a.fromDay}|${a.toDay}`;

/** The run's chunks: those interrupted runs left (adopted), then what is due and not adopted. */
export async function planRun(
  ctx: RunContext,
  sites: readonly ActiveSite[],
  runId: number,
  options: SyncOptions & { kpiBacklog: boolean },
): Promise<ChunkRow[]> {
  const { store, target, now } = ctx;
  const adopted = await store.adoptPendingChunks(target.key, runId);
  const adoptedWork = new Set(adopted.map(sameWork));
  const adoptedDays = new Set<string>();
  for (const c of adopted) {
    if (c.kind !== 'transactions') continue;
    for (let d = c.fromDay; d <= c.toDay; d = addDays(d, 1)) adoptedDays.add(`${c.siteCode}|${d}`);
  }
  const perDay = await store.rowsPerDay(target.key);
  const planSites: PlanSite[] = sites.map((s) => ({ code: s.code, timezone: s.timezone, rowsPerDay: perDay.get(s.code) ?? null }));
  const runStart = (await store.getRun(runId))?.startedAt ?? now();
  const explicit = { ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) };
  const horizonDays = options.horizonDays ?? 180;
  const backfillDays = options.backfillDays ?? 180;
  // Adopted ranges cover their days now; a planned range is kept if it has any other day.
  const sales = planSync(planSites, await store.coverage(target.key), {
    freshSince: options.freshSince ?? (await store.interruptedPredecessorStart(target.key, runId)) ?? runStart,
    now: now(),
    backfillDays,
    horizonDays,
    trailingDays: options.trailingDays ?? 2,
    ...explicit,
  }).filter((c) => {
    for (let d = c.fromDay; d <= c.toDay; d = addDays(d, 1)) if (!adoptedDays.has(`${c.siteCode}|${d}`)) return true;
    return false;
  });

  const backlog = options.kpis === false ? null : await store.kpiBacklog(target.key);
  const kpis =
    backlog === null
      ? []
      : planKpis({
          sites: planSites,
          now: now(),
          backfillDays,
          horizonDays,
          defaultTimezone: target.defaultTimezone,
          transactions: [...sales, ...adopted.filter((c) => c.kind === 'transactions')],
          unclassified: backlog.unclassified,
          unverified: backlog.unverified,
          laborCoverage: await store.laborCoverage(target.key),
          openShiftDays: new Set(await store.openShiftDays(target.key)),
          employees: Math.max((await store.employees(target.key)).ids.length, 1),
          backlog: options.kpiBacklog,
          trailingDays: options.trailingDays ?? 2,
          ...explicit,
        }).filter((c) => !adoptedWork.has(sameWork(c)));

  await store.addChunks(target.key, runId, [...sales, ...kpis], adopted.length);
  return store.listChunks(runId);
}

/**
 * Today's and yesterday's v2 ranges of every site not fetched since `since` (Sync now during a
 * long run), added to the run's chunks. Returns the pending chunks that bring them.
 */
export async function planFresh(ctx: RunContext, sites: readonly ActiveSite[], runId: number, since: number, trailingDays: number): Promise<ChunkRow[]> {
  const coverage = await ctx.store.coverage(ctx.target.key);
  const due: PlannedChunk[] = sites.flatMap((site) => {
    const today = toLocalDate(ctx.now(), site.timezone);
    const from = addDays(today, -(trailingDays - 1));
    const days = coverage.get(site.code);
    let fresh = true;
    for (let d = from; d <= today; d = addDays(d, 1)) if ((days?.get(d) ?? 0) < since) fresh = false;
    if (fresh) return [];
    return planSync([{ code: site.code, timezone: site.timezone, rowsPerDay: null }], new Map(), {
      now: ctx.now(),
      backfillDays: trailingDays,
      horizonDays: 180,
      trailingDays,
      from,
      to: today,
    });
  });
  if (!due.length) return [];
  const before = await ctx.store.listChunks(runId);
  // After everything planned so far, whatever its ordinal.
  await ctx.store.addChunks(ctx.target.key, runId, due, 1_000_000 + before.length);
  const wanted = new Set(due.map((d) => sameWork({ ...d, kind: 'transactions' })));
  return (await ctx.store.listChunks(runId)).filter((c) => c.status === 'pending' && wanted.has(sameWork(c)));
}
