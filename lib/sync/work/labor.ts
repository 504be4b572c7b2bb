/**
 * Labor (FACTS §0.1, §4.6): every employee's clock entries, a window of up to 14 days per request
 * (FACTS §3 Q11), database-wide (the endpoint has no site filter: each entry's `siteCode` says
 * where it was worked, Q12). Entries are committed employee by employee in ID order, with the
 * window's cursor (the next employee ID), so a resumed window skips the employees already in; the
 * last one marks the window's days fetched.
 *
 * Each entry counts on the local day of its clock-in at its own site; hours are regular plus
 * overtime as Sonny's reports them, and the cost is rounded to the cent per entry (FACTS §0.1).
 */
import { toLocalDate } from '@/lib/calendar';
import type { ClockEntry } from '@/lib/sonnys';
import type { StoredClockEntry } from '../ingest';
import { sendOrYield, type RunContext } from '../run-context';
import type { ChunkRow } from '../store';

/** `/employee` is read again at most this often (new hires; like the site list's cache). */
export const EMPLOYEE_LIST_TTL_MS = 60 * 60 * 1000;
export const EMPLOYEES_TAG = 'employees';

const hundredths = (hours: number) => Math.round(hours * 100);
const cents = (dollars: number) => Math.round(dollars * 100);

/** A clock entry as stored: its site-local day, hundredths of an hour, rates and cost in cents. */
export function storedClockEntry(employeeId: number, entry: ClockEntry, zoneOf: (siteCode: string) => string): StoredClockEntry {
  const clockIn = Date.parse(entry.clockIn ?? '');
  if (Number.isNaN(clockIn)) throw new Error(`employee ${employeeId} has a clock entry with an unreadable clock-in ${JSON.stringify(entry.clockIn)}`);
  const clockOut = entry.clockOut ? Date.parse(entry.clockOut) : null;
  return {
    employeeId,
    clockInUnix: Math.floor(clockIn / 1000),
    siteCode: entry.siteCode,
    localDay: toLocalDate(clockIn, zoneOf(entry.siteCode)),
    clockOutUnix: clockOut === null || Number.isNaN(clockOut) ? null : Math.floor(clockOut / 1000),
    regularHundredths: hundredths(entry.regularHours),
    overtimeHundredths: hundredths(entry.overtimeHours),
    regularRateCents: cents(entry.regularRate),
    overtimeRateCents: cents(entry.overtimeRate),
    // FACTS §0.1: round(100 × (regularRate × regularHours + overtimeRate × overtimeHours)) per entry.
    costCents: Math.round(100 * (entry.regularRate * entry.regularHours + entry.overtimeRate * entry.overtimeHours)),
    wasModified: entry.wasModified,
  };
}

/**
 * Reads `/employee` when the stored list is older than its TTL (or empty), then lets the labor
 * windows go. No request at all within the hour.
 */
export async function startEmployees(ctx: RunContext, priority: number): Promise<void> {
  const { store, target } = ctx;
  const known = await store.employees(target.key);
  if (known.ids.length && ctx.now() - known.refreshedAt < EMPLOYEE_LIST_TTL_MS) {
    ctx.queue.release(EMPLOYEES_TAG);
    return;
  }
  ctx.progress.expectExtra(1);
  ctx.queue.push({
    priority,
    label: 'GET /employee',
    endpoint: 'GET /employee',
    run: async () => {
      const list: { employeeId: number; firstName: string; lastName: string }[] = [];
      for await (const page of target.client.employees.list({}, ctx.request()).pages()) {
        ctx.progress.requestDone();
        list.push(...page.items);
      }
      ctx.progress.expectExtra(-1);
      await store.saveEmployees(target.key, list, ctx.now());
      ctx.queue.release(EMPLOYEES_TAG);
    },
  });
}

export function startLabor(ctx: RunContext, chunk: ChunkRow, priority: number): void {
  const { store, target } = ctx;
  ctx.progress.expect(chunk.id, chunk.estimatedPages);
  // Which employees are known only once the list is in: a dispatcher waits for it, then queues one
  // request per employee from the cursor on.
  ctx.queue.push({
    priority,
    after: [EMPLOYEES_TAG],
    label: `labor ${chunk.fromDay} to ${chunk.toDay}`,
    run: async () => {
      const ids = (await store.listedEmployees(target.key)).filter((id) => id >= chunk.nextPage);
      ctx.progress.expect(chunk.id, ids.length);
      const fetchedAt = chunk.firstFetchedAt ?? ctx.now();
      const window = { fromDay: chunk.fromDay, toDay: chunk.toDay };
      const completion = { kind: 'labor', chunkId: chunk.id, fromDay: chunk.fromDay, toDay: chunk.toDay, syncedAt: fetchedAt } as const;
      const arrived = new Map<number, StoredClockEntry[]>();
      let next = 0;
      // Employees commit in ID order, one unit of work each (entries, cursor, and on the last the
      // window's days), one after another: an employee that arrives meanwhile waits its turn.
      let committing = Promise.resolve();
      const commitReady = async () => {
        while (next < ids.length && arrived.has(ids[next]!)) {
          const id = ids[next]!;
          const entries = arrived.get(id)!;
          arrived.delete(id);
          const last = next === ids.length - 1;
          await ctx.ingest.ingestPage({
            databaseKey: target.key,
            at: ctx.now(),
            clockEntries: { employeeId: id, entries, window },
            cursor: { chunkId: chunk.id, next: id + 1, rows: entries.length, fetchedAt },
            ...(last ? { complete: completion } : {}),
          });
          chunk.nextPage = id + 1;
          next++;
          if (last) {
            chunk.status = 'done';
            ctx.chunkDone(chunk);
          }
        }
      };
      if (!ids.length) {
        await ctx.ingest.ingestPage({ databaseKey: target.key, at: ctx.now(), complete: completion });
        chunk.status = 'done';
        ctx.chunkDone(chunk);
        return;
      }
      for (const id of ids) {
        ctx.queue.push({
            priority,
            label: `GET /employee/${id}/clock-entries ${chunk.fromDay} to ${chunk.toDay}`,
            endpoint: 'GET /employee/{id}/clock-entries',
            detail: `employee ${id}, ${chunk.fromDay} to ${chunk.toDay}`,
            run: async (yieldSignal) => {
              const { weeks } = await sendOrYield(yieldSignal, () =>
                target.client.employees.clockEntries(id, { startDate: chunk.fromDay, endDate: chunk.toDay }, ctx.request(yieldSignal)),
              );
              ctx.progress.requestDone(chunk.id);
              arrived.set(
                id,
                weeks.flatMap((w) => w.clockEntries).map((e) => storedClockEntry(id, e, ctx.zoneOf)),
              );
              committing = committing.then(commitReady);
              await committing;
            },
        });
      }
    },
  });
}
