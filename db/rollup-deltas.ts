/**
 * How rows move the rollups, as deltas: a row's contribution to its day's and its hour's figures
 * under each measure's JS rule (lib/measures.ts), added when a row is stored and taken back when it
 * changes, then applied once per touched day and hour (instead of re-aggregating whole days per
 * page, which cost 3x the raw upsert). Dialect-neutral: the arithmetic of every dialect's ingestor;
 * the vectors are in the columns' order below.
 */
import {
  contribution,
  HOURLY_MEASURES,
  LABOR_MEASURES,
  measure,
  TRANSACTION_MEASURES,
  type MeasuredClockEntry,
  type MeasuredTransaction,
} from '@/lib/measures';
import type { StoredClockEntry } from './sync-rows';

export const DAILY_COLUMNS = TRANSACTION_MEASURES.map((m) => m.column);
export const HOURLY_COLUMNS = HOURLY_MEASURES.map((m) => m.column);
export const LABOR_COLUMNS = LABOR_MEASURES.map((m) => m.column);
/** An hour has a row while it has a Completed transaction (this measure is not zero). */
export const HOUR_PRESENCE = measure('transactions');

/** The fields of a row that decide its contribution to the rollups. */
export interface Contribution extends MeasuredTransaction {
  siteCode: string;
  localDay: string;
  localHour: number;
}

/** Adds `sign` × the row's contribution into the day's and the hour's delta vectors. */
export function accumulate(days: Map<string, number[]>, hours: Map<string, number[]>, row: Contribution, sign: 1 | -1): void {
  const dayKey = `${row.siteCode}\u0000${row.localDay}`;
  let d = days.get(dayKey);
  if (!d) days.set(dayKey, (d = new Array<number>(DAILY_COLUMNS.length).fill(0)));
  for (let i = 0; i < TRANSACTION_MEASURES.length; i++) d[i]! += sign * contribution(TRANSACTION_MEASURES[i]!, row);

  if (!HOUR_PRESENCE.when(row)) return;
  const hourKey = `${dayKey}\u0000${row.localHour}`;
  let h = hours.get(hourKey);
  if (!h) hours.set(hourKey, (h = new Array<number>(HOURLY_COLUMNS.length).fill(0)));
  for (let i = 0; i < HOURLY_MEASURES.length; i++) h[i]! += sign * contribution(HOURLY_MEASURES[i]!, row);
}

/** A stored clock entry's labor contribution (FACTS §0.1). */
export type EntryFigures = Pick<StoredClockEntry, 'siteCode' | 'localDay' | 'clockOutUnix' | 'regularHundredths' | 'overtimeHundredths' | 'costCents'>;
function measuredEntry(e: EntryFigures): MeasuredClockEntry {
  return { hundredths: e.regularHundredths + e.overtimeHundredths, costCents: e.costCents, open: e.clockOutUnix === null };
}
export function accumulateLabor(days: Map<string, number[]>, e: EntryFigures, sign: 1 | -1): void {
  const key = `${e.siteCode}\u0000${e.localDay}`;
  let d = days.get(key);
  if (!d) days.set(key, (d = new Array<number>(LABOR_COLUMNS.length).fill(0)));
  const m = measuredEntry(e);
  for (let i = 0; i < LABOR_MEASURES.length; i++) d[i]! += sign * LABOR_MEASURES[i]!.value(m);
}
