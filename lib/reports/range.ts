/**
 * Reporting date ranges: the presets, parsing and validating `preset` / `from` / `to` as they come
 * from a URL or a command line, and the previous period KPIs compare against. One module for the
 * pages, the CSV routes and the report CLI, so the three always agree on what "last 30 days" means.
 */
import { z } from 'zod';
import { addDays, dayCount, endOfMonth, isCalendarDay, startOfMonth } from '@/lib/calendar';

export const PRESETS = ['today', 'yesterday', 'last7', 'last30', 'thisMonth', 'lastMonth', 'custom'] as const;
export const presetSchema = z.enum(PRESETS);
export type Preset = z.infer<typeof presetSchema>;

export const DEFAULT_PRESET = 'last30' satisfies Preset;

export const PRESET_LABELS: Record<Preset, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  last7: 'Last 7 days',
  last30: 'Last 30 days',
  thisMonth: 'This month',
  lastMonth: 'Last month',
  custom: 'Custom range',
};

/** Three years: longer ranges are a mistake more often than a wish, and would make a huge CSV. */
export const MAX_RANGE_DAYS = 3 * 365 + 1;

export const daySchema = z.string().refine(isCalendarDay, { error: 'must be a calendar day written YYYY-MM-DD' });

export const dayRangeSchema = z.object({
  from: daySchema,
  to: daySchema,
});
export type DayRange = z.infer<typeof dayRangeSchema>;

export interface ResolvedRange extends DayRange {
  preset: Preset;
  /** Days in the range, both ends included. */
  days: number;
}

export type RangeResult = { ok: true; range: ResolvedRange } | { ok: false; message: string };

/** The days a preset covers, given today's date in the reporting time zone. "Last N days" include today. */
export function presetRange(preset: Exclude<Preset, 'custom'>, today: string): DayRange {
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const day = addDays(today, -1);
      return { from: day, to: day };
    }
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'thisMonth':
      return { from: startOfMonth(today), to: today };
    case 'lastMonth': {
      const lastDay = addDays(startOfMonth(today), -1);
      return { from: startOfMonth(lastDay), to: endOfMonth(lastDay) };
    }
  }
}

/** The period of the same length that ends the day before `range` starts. */
export function previousPeriod(range: DayRange): DayRange {
  const days = dayCount(range.from, range.to);
  return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
}

/** What a range is compared with: the period before it, or the same weekdays a year earlier. */
export const COMPARISONS = ['previous', 'lastYear'] as const;
export const comparisonSchema = z.enum(COMPARISONS);
export type Comparison = z.infer<typeof comparisonSchema>;
export const DEFAULT_COMPARISON = 'previous' satisfies Comparison;

export const COMPARISON_LABELS: Record<Comparison, string> = {
  previous: 'Previous period',
  lastYear: 'Same period last year',
};

/** 52 weeks: the same weekdays a year earlier (a Saturday is compared with a Saturday). */
const YEAR_OF_WEEKS = 364;

/**
 * The days a range is compared with, like for like:
 * - `lastYear`: the same weekdays 52 weeks earlier;
 * - whole calendar months (e.g. "Last month"): the same number of months just before;
 * - part of one month from its first day (e.g. "This month" to date): the same days of the month
 *   before, cut at its end;
 * - anything else: the same number of days just before.
 * The last day of the result corresponds to the range's last day: when that one is still going on,
 * it is compared up to the same time of day (see `comparison.ts`).
 */
export function comparisonPeriod(range: DayRange, compare: Comparison = DEFAULT_COMPARISON): DayRange {
  if (compare === 'lastYear') return { from: addDays(range.from, -YEAR_OF_WEEKS), to: addDays(range.to, -YEAR_OF_WEEKS) };
  if (range.from === startOfMonth(range.from)) {
    const priorMonthStart = startOfMonth(addDays(range.from, -1));
    if (range.to === endOfMonth(range.to)) {
      const months = monthIndex(range.to) - monthIndex(range.from) + 1;
      const from = addMonths(range.from, -months);
      return { from, to: addDays(range.from, -1) };
    }
    if (range.to.slice(0, 7) === range.from.slice(0, 7)) {
      const sameDay = `${priorMonthStart.slice(0, 8)}${range.to.slice(8)}`;
      const priorEnd = endOfMonth(priorMonthStart);
      return { from: priorMonthStart, to: isCalendarDay(sameDay) && sameDay <= priorEnd ? sameDay : priorEnd };
    }
  }
  return previousPeriod(range);
}

function monthIndex(day: string): number {
  return Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
}

/** The first day of the month `months` away from `firstOfMonth`'s. */
function addMonths(firstOfMonth: string, months: number): string {
  const index = monthIndex(firstOfMonth) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/** The earliest year a day may have (`isCalendarDay`). */
const MIN_YEAR = 1970;

/** Echoes user input in a message without letting a pasted essay take over the page. */
export function clip(value: string, max = 40): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

const blank = (v: string | undefined) => (v == null || v.trim() === '' ? undefined : v.trim());

/**
 * Reads a range from loose input. A preset other than `custom` wins over `from`/`to` (a form
 * sends all three); `from`/`to` without a preset mean a custom range; nothing means the default.
 * Failures are values with one plain sentence, for the page or the CLI to show.
 */
export function parseRange(
  input: { preset?: string | undefined; from?: string | undefined; to?: string | undefined },
  options: { today: string },
): RangeResult {
  const presetText = blank(input.preset);
  const from = blank(input.from);
  const to = blank(input.to);

  if (presetText !== undefined) {
    const preset = presetSchema.safeParse(presetText);
    if (!preset.success) {
      return { ok: false, message: `"${clip(presetText)}" is not a date range Washboard knows.` };
    }
    const chosen = preset.data;
    if (chosen !== 'custom') return resolved(chosen, presetRange(chosen, options.today));
  } else if (from === undefined && to === undefined) {
    return resolved(DEFAULT_PRESET, presetRange(DEFAULT_PRESET, options.today));
  }

  if (from === undefined || to === undefined) {
    return { ok: false, message: 'A custom range needs both a start date and an end date.' };
  }
  for (const [label, value] of [
    ['start', from],
    ['end', to],
  ] as const) {
    if (!isCalendarDay(value)) {
      const written = /^\d{4}-\d{2}-\d{2}$/.test(value);
      const year = Number(value.slice(0, 4));
      return {
        ok: false,
        message: !written
          ? `The ${label} date "${clip(value)}" is not a date written YYYY-MM-DD.`
          : year < MIN_YEAR
            ? `The ${label} date ${value} is before ${MIN_YEAR}; Washboard holds no data that old.`
            : `The ${label} date ${value} does not exist on the calendar.`,
      };
    }
  }
  if (from > to) return { ok: false, message: `The start date ${from} is after the end date ${to}.` };
  const days = dayCount(from, to);
  if (days > MAX_RANGE_DAYS) {
    return {
      ok: false,
      message: `The range covers ${days.toLocaleString('en-US')} days; choose at most 3 years (${MAX_RANGE_DAYS.toLocaleString('en-US')} days).`,
    };
  }
  return resolved('custom', { from, to });
}

function resolved(preset: Preset, range: DayRange): RangeResult {
  return { ok: true, range: { ...range, preset, days: dayCount(range.from, range.to) } };
}
