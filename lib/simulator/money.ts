/**
 * Money is integer cents everywhere inside the simulator. On the wire the API sends numbers such
 * as `7.99` (FACTS §2.3); we emit them with exactly two decimals (`10.50`, `-5.00`) the way the
 * vendor's examples do, which `JSON.stringify` cannot do on its own.
 */

/** A money amount that serializes as a JSON number with two decimals. */
export class Cents {
  constructor(readonly cents: number) {
    if (!Number.isInteger(cents)) throw new Error(`Cents must be an integer, got ${cents}`);
  }
}

export function cents(value: number): Cents {
  return new Cents(value);
}

/** `1050` -> `"10.50"`, `-500` -> `"-5.00"`. */
export function formatCents(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const whole = Math.floor(abs / 100);
  const frac = String(abs % 100).padStart(2, '0');
  return `${sign}${whole}.${frac}`;
}

const MARK = '@@SIMCENTS:';
const MARK_RE = /"@@SIMCENTS:(-?\d+)@@"/g;

/** JSON.stringify that renders {@link Cents} as two-decimal numbers. */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Cents ? `${MARK}${v.cents}@@` : v,
  );
  return text.replace(MARK_RE, (_m, c: string) => formatCents(Number(c)));
}
