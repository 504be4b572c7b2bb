/**
 * CSV cells and lines (RFC 4180: comma-separated, CRLF line ends, fields with a quote, comma or
 * line break wrapped in double quotes with inner quotes doubled).
 *
 * Spreadsheet safety: a text cell that begins with `=`, `+`, `-`, `@`, tab or carriage return would
 * be run as a formula by Excel, LibreOffice or Sheets (CSV injection, OWASP). Such cells get a
 * leading `'`, which spreadsheets show as text. Numeric cells are written by us from numbers, never
 * neutralised, so `-12.50` stays a number.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
/** Either of the above: most cells match neither, and one test is cheaper than two. */
const NEEDS_CARE = /^[=+\-@\t\r]|[",\r\n]/;

export const CSV_EOL = '\r\n';

/** A text cell, neutralised and quoted as needed; null becomes an empty cell. */
export function textCell(value: string | null | undefined): string {
  if (value == null || value === '') return '';
  if (!NEEDS_CARE.test(value)) return value;
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** An integer or decimal cell; null (no value, e.g. an average of nothing) becomes an empty cell. */
export function numberCell(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '' : String(value);
}

export function booleanCell(value: boolean | number): string {
  return value ? 'true' : 'false';
}

/** A flag that may not be known yet (a wash flag before the wash list is read): empty when unknown. */
export function optionalBooleanCell(value: boolean | number | null | undefined): string {
  return value == null ? '' : booleanCell(value);
}

/**
 * Integer cents as a decimal amount with two places and a dot (`-1234` → `-12.34`), in integer
 * arithmetic so no floating-point rounding can creep in.
 */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Not a whole number of cents: ${cents}`);
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100);
  const rest = abs - units * 100;
  return `${cents < 0 ? '-' : ''}${units}.${rest < 10 ? '0' : ''}${rest}`;
}

export function moneyCell(cents: number | null | undefined): string {
  return cents == null ? '' : centsToDecimal(cents);
}

/**
 * Revenue ÷ count in whole cents, rounded half away from zero, in integer arithmetic.
 * Null when there is nothing to divide by.
 */
export function averageCents(totalCents: number, count: number): number | null {
  if (count <= 0) return null;
  const abs = Math.abs(totalCents);
  const quotient = Math.floor(abs / count);
  const remainder = abs - quotient * count;
  const rounded = remainder * 2 >= count ? quotient + 1 : quotient;
  return totalCents < 0 ? -rounded : rounded;
}

export function csvLine(cells: readonly string[]): string {
  return cells.join(',') + CSV_EOL;
}

/** Target size of the chunks the report generators yield: big enough to amortise, small enough to stream. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;
