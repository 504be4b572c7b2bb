/**
 * Display formatting for the dashboard (US English, US dollars). Framework-free and free of Node
 * imports, so client chart components can use it too. Amounts arrive as integer cents.
 */

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const moneyWhole = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const count = new Intl.NumberFormat('en-US');
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const shortDay = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const longDay = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
const weekday = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: 'UTC' });
const hoursFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const ratioFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const share = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1, minimumFractionDigits: 1 });

/** `$1,234.56`, or an em dash for "no value". Display only: exports use exact decimals. */
export function formatMoney(cents: number | null | undefined): string {
  return cents == null ? '—' : money.format(cents / 100);
}

/** `$1,235`: chart axes. */
export function formatMoneyWhole(cents: number): string {
  return moneyWhole.format(cents / 100);
}

export function formatCount(value: number | null | undefined): string {
  return value == null ? '—' : count.format(value);
}

/** `+12.5%`, `-3%`, `0%`; null (nothing to compare with) reads "no comparison". */
export function formatChange(change: number | null): string {
  return change == null ? 'no comparison' : percent.format(change);
}

/** `42.5%`: a share (conversion), one decimal. */
export function formatPercent(ratio: number | null | undefined): string {
  return ratio == null ? '—' : share.format(ratio);
}

/** `6:40 AM` in a zone. */
export function formatTimeOfDay(instantMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(instantMs));
}

/** Axis ticks: `Nov 22`, with the year when the range spans more than one (`Dec 30, 2025`). */
export function dayTickFormatter(days: readonly string[]): (day: string) => string {
  const multiYear = days.length > 0 && days[0]!.slice(0, 4) !== days.at(-1)!.slice(0, 4);
  return multiYear ? formatDay : formatDayShort;
}

const dayDate = (day: string) => new Date(`${day}T00:00:00Z`);

/** `Nov 22` */
export function formatDayShort(day: string): string {
  return shortDay.format(dayDate(day));
}

/** `Nov 22, 2026` */
export function formatDay(day: string): string {
  return longDay.format(dayDate(day));
}

/** `Sun` */
export function formatWeekday(day: string): string {
  return weekday.format(dayDate(day));
}

/** `Nov 1 – Nov 22, 2026`, or a single day. */
export function formatRange(range: { from: string; to: string }): string {
  if (range.from === range.to) return formatDay(range.from);
  const sameYear = range.from.slice(0, 4) === range.to.slice(0, 4);
  return `${sameYear ? formatDayShort(range.from) : formatDay(range.from)} – ${formatDay(range.to)}`;
}

/** `3 minutes ago`, `2 hours ago`, `just now`. */
export function formatAgo(thenMs: number, nowMs: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (seconds < 45) return 'just now';
  const units: [number, string][] = [
    [60 * 60 * 24, 'day'],
    [60 * 60, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    const n = Math.round(seconds / size);
    if (n >= 1 && seconds >= size * 0.75) return `${n} ${name}${n === 1 ? '' : 's'} ago`;
  }
  return 'just now';
}

/** `9 AM`, `12 PM`, `0` → `12 AM`. */
export function formatHour(hour: number): string {
  const h = hour % 12 === 0 ? 12 : hour % 12;
  return `${h} ${hour < 12 ? 'AM' : 'PM'}`;
}

/** Hundredths of an hour as hours: `7.25 h` → `7.25`. */
export function formatHours(hundredths: number | null | undefined): string {
  return hundredths == null ? '—' : hoursFormat.format(hundredths / 100);
}

/** A figure's value as its format says (`money` in cents, `hours` in hundredths, `percent` a ratio). */
export function formatFigure(format: 'count' | 'money' | 'hours' | 'percent' | 'ratio', value: number | null | undefined): string {
  switch (format) {
    case 'money':
      return formatMoney(value);
    case 'hours':
      return formatHours(value);
    case 'percent':
      return formatPercent(value);
    case 'ratio':
      return value == null ? '—' : ratioFormat.format(value);
    case 'count':
      return formatCount(value);
  }
}
