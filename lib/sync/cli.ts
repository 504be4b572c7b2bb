/** Argument helpers shared by the sync and report CLIs. */

/** A calendar date `YYYY-MM-DD`, or undefined when it is not one (2026-02-30 is not). */
export function parseCliDay(value: string, _flag: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return value.trim();
}
