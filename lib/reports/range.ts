/**
 * Reporting date ranges: the presets, parsing and validating `preset` / `from` / `to` as they come
 * from a URL or a command line, and the previous period KPIs compare against. One module for the
 * pages, the CSV routes and the report CLI, so the three always agree on what "last 30 days" means.
 */
import { z } from 'zod';
import { addDays, dayCount, endOfMonth, isCalendarDay, startOfMonth } from './days';

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
      return { ok: false, message: `"${presetText}" is not a date range Washboard knows.` };
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
      return {
        ok: false,
        message: /^\d{4}-\d{2}-\d{2}$/.test(value)
          ? `The ${label} date ${value} does not exist on the calendar.`
          : `The ${label} date "${value}" is not a date written YYYY-MM-DD.`,
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
