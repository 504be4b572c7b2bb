/**
 * New memberships of one site-day (FACTS §0.1, §4.4): each Completed plan sale is a new membership
 * when its transaction detail says `isRecurringSale` (upgrades and switches say false, Q13).
 *
 * Two ways to learn it, and the cheaper one is taken for each site-day:
 * - a detail call per plan sale (`GET /transaction/{id}`): one request each;
 * - load-job data (`POST /transaction/load-job`, then `GET /transaction/get-job-data`, FACTS §2.5):
 *   every transaction of the day in pages of 100, two requests a page when the first poll comes
 *   after the job is built (a job reports `working` for a couple of seconds, so the poll waits).
 * A busy site sells a dozen memberships a day and does ~400 transactions: 10-12 detail calls
 * against 8-10 job requests. What a job does not answer (a sale voided meanwhile) falls back to
 * a detail call; a detail that is not found leaves the sale unverified, and the day incomplete.
 */
import { LOAD_JOB_PAGE_SIZE as JOB_PAGE, loadJobChunks, NotFoundError, type JobData } from '@/lib/sonnys';
import { sendOrYield, type RunContext } from '../run-context';
import type { ChunkRow } from '../store';
import { Yielded } from '../work-queue';

/** How long a new load-job usually builds before its data is ready (the SDK's poll interval). */
export const JOB_BUILD_MS = 2_000;

/** Requests each way would take: the lower bound the bench holds the sync to. */
export function verificationCost(candidates: number, rowsPerWindow: readonly number[]): { detail: number; job: number } {
  return { detail: candidates, job: rowsPerWindow.reduce((n, rows) => n + 2 * Math.max(1, Math.ceil(rows / JOB_PAGE)), 0) };
}

export async function startMemberships(ctx: RunContext, chunk: ChunkRow, priority: number): Promise<void> {
  const { store, target } = ctx;
  const day = chunk.fromDay;
  const site = chunk.siteCode;
  const candidates = await store.unverifiedPlanSales(target.key, site, day);
  const finish = async () => {
    await store.finishChunk(chunk.id, ctx.now());
    chunk.status = 'done';
    ctx.chunkDone(chunk);
  };
  if (!candidates.length) return finish();

  const windows = loadJobChunks(day, day, ctx.zoneOf(site), ctx.now());
  const rows = await Promise.all(windows.map((w) => store.countBetween(target.key, site, w.startDate, w.endDate)));
  /** Verifications learnt, recorded with the rollups they move (no cursor: the chunk's state is its rows). */
  const record = (flags: { transId: string; isNewMembership: boolean }[]) => ctx.ingest.ingestPage({ databaseKey: target.key, at: ctx.now(), flags });
  const cost = verificationCost(candidates.length, rows);
  let outstanding = 0;
  const settled = async () => {
    if (--outstanding === 0) await finish();
  };

  const verify = async (transIds: readonly string[]): Promise<void> => {
    outstanding += transIds.length;
    ctx.progress.expect(chunk.id, transIds.length);
    for (const transId of transIds) {
      ctx.queue.push({
        priority,
        label: `GET /transaction/${transId} (${site} ${day})`,
        endpoint: 'GET /transaction/{id}',
        siteCode: site,
        detail: `${transId}, ${day}`,
        run: async (yieldSignal) => {
          try {
            const detail = await sendOrYield(yieldSignal, () => ctx.target.client.transactions.retrieve(transId, ctx.request(yieldSignal)));
            await record([{ transId, isNewMembership: detail.isRecurringSale }]);
          } catch (error) {
            // Nothing was sent: the job runs again later.
            if (error instanceof Yielded) throw error;
            ctx.progress.requestDone(chunk.id);
            // Gone from Sonny's since the list was read: the day stays incomplete, the next run asks again.
            if (!(error instanceof NotFoundError)) throw error;
            await settled();
            return;
          }
          ctx.progress.requestDone(chunk.id);
          await settled();
        },
      });
    }
    if (!transIds.length) await finish();
  };

  if (cost.detail <= cost.job || windows.length === 0) {
    await verify(candidates);
    return;
  }

  // Load-job: every page of every window, then a detail call for whatever no page answered.
  ctx.progress.expect(chunk.id, cost.job);
  const wanted = new Set(candidates);
  const label = (w: number, page: number) => `load-job ${site} ${day} window ${w + 1}, page ${page}`;
  const pages = new Map<string, number>();
  const pageDone = async () => {
    if (--outstanding > 0) return;
    outstanding = 0;
    await verify([...wanted]);
  };
  const submit = (w: number, page: number) => {
    outstanding++;
    pages.set(`${w}:${page}`, 0);
    ctx.queue.push({
      priority,
      label: label(w, page),
      endpoint: 'POST /transaction/load-job',
      siteCode: site,
      detail: `${day}, page ${page}`,
      run: async (yieldSignal) => {
        const window = windows[w]!;
        const { hash } = await sendOrYield(yieldSignal, () =>
          ctx.target.client.transactions.loadJob({ startDate: window.startDate, endDate: window.endDate, site, page }, ctx.request(yieldSignal)),
        );
        ctx.progress.requestDone(chunk.id);
        poll(w, page, hash, Date.now() + JOB_BUILD_MS);
      },
    });
  };
  const poll = (w: number, page: number, hash: string, notBefore: number) => {
    ctx.queue.push({
      priority,
      notBefore,
      label: label(w, page),
      endpoint: 'GET /transaction/get-job-data',
      siteCode: site,
      detail: `${day}, page ${page}`,
      run: async (yieldSignal) => {
        let data: JobData;
        try {
          data = await sendOrYield(yieldSignal, () => ctx.target.client.transactions.getJobData(hash, ctx.request(yieldSignal)));
        } catch (error) {
          if (error instanceof Yielded) throw error;
          ctx.progress.requestDone(chunk.id);
          // The hash expired before it was read (20 minutes): build the page again.
          if (!(error instanceof NotFoundError)) throw error;
          outstanding--;
          submit(w, page);
          return;
        }
        ctx.progress.requestDone(chunk.id);
        if (data.status === 'fail') throw new Error(`load-job page ${page} of ${site} ${day} failed on the server`);
        if (data.status !== 'pass') {
          ctx.progress.expect(chunk.id, 1);
          poll(w, page, hash, Date.now() + JOB_BUILD_MS);
          return;
        }
        const flags = data.data.filter((t) => wanted.has(t.id)).map((t) => ({ transId: t.id, isNewMembership: t.isRecurringSale }));
        if (flags.length) await record(flags);
        for (const f of flags) wanted.delete(f.transId);
        // The job may hold more rows than the stored count said (uploads since): fetch its other pages.
        const total = data.total ?? data.data.length;
        const last = Math.max(1, Math.ceil(total / JOB_PAGE));
        if (page === 1) for (let p = 2; p <= last; p++) if (!pages.has(`${w}:${p}`)) submit(w, p);
        await pageDone();
      },
    });
  };
  for (let w = 0; w < windows.length; w++) for (let p = 1; p <= Math.max(1, Math.ceil(rows[w]! / JOB_PAGE)); p++) submit(w, p);
}
