/**
 * Reads query parameters and collects one message per broken rule, so a request with several bad
 * parameters gets one 422 PayloadValidationError listing them all (openapi.yml "Error Types").
 * Messages read `name: what is wrong.` like production's `site: Only 1 site can be selected.`
 */
import { apiErrors } from '@/lib/simulator/http/errors';
import { isDayString, utcDayOf } from '@/lib/simulator/time';

export class QueryReader {
  readonly messages: string[] = [];
  /** Set when a timestamp parameter is not a number (some deployments answer 400 for it). */
  badTimestamp = false;

  constructor(readonly query: URLSearchParams) {}

  has(name: string): boolean {
    const v = this.query.get(name);
    return v !== null && v !== '';
  }

  raw(name: string): string | undefined {
    const v = this.query.get(name);
    return v === null || v === '' ? undefined : v;
  }

  fail(name: string, message: string): void {
    this.messages.push(`${name}: ${message}`);
  }

  int(name: string, opts: { min?: number; max?: number } = {}): number | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) {
      this.fail(name, 'must be an integer.');
      return undefined;
    }
    const n = Number(v);
    if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      this.fail(name, rangeText(opts.min, opts.max));
      return undefined;
    }
    return n;
  }

  /** Unix seconds (the spec types these as `number`; fractions are truncated). */
  unixSeconds(name: string): number | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (!/^\d+(\.\d+)?$/.test(v)) {
      this.badTimestamp = true;
      this.fail(name, 'must be a Unix timestamp in seconds.');
      return undefined;
    }
    return Math.floor(Number(v));
  }

  /** `YYYY-MM-DD`. */
  ymd(name: string): string | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (!isDayString(v)) {
      this.fail(name, 'must be a valid date in YYYY-MM-DD format.');
      return undefined;
    }
    return v;
  }

  /** `YYYY-MM-DD`, or Unix seconds as the spec documents (read as a UTC date). */
  ymdOrUnix(name: string): string | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (/^\d{9,11}$/.test(v)) return utcDayOf(Number(v) * 1000);
    return this.ymd(name);
  }

  enumOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v)) {
      this.fail(name, `must be one of: ${values.join(', ')}.`);
      return undefined;
    }
    return v as T;
  }

  string(name: string, opts: { pattern?: RegExp; minLength?: number; maxLength?: number; patternText?: string } = {}): string | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (opts.minLength !== undefined && v.length < opts.minLength) this.fail(name, `must be at least ${opts.minLength} characters.`);
    else if (opts.maxLength !== undefined && v.length > opts.maxLength) this.fail(name, `must be at most ${opts.maxLength} characters.`);
    else if (opts.pattern && !opts.pattern.test(v)) this.fail(name, opts.patternText ?? 'has an invalid format.');
    else return v;
    return undefined;
  }

  /** Throws the collected messages as one 422 (or a 400 timestamp error when configured). */
  done(timestampErrorAs: 'validation' | 'timestamp' = 'validation'): void {
    if (this.messages.length === 0) return;
    if (this.badTimestamp && timestampErrorAs === 'timestamp') throw apiErrors.badTimestamp();
    throw apiErrors.validation(this.messages);
  }
}

function rangeText(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `must be between ${min} and ${max}.`;
  if (min !== undefined) return `must be at least ${min}.`;
  return `must be at most ${max}.`;
}

/** Identifier pattern of the spec's EntityIdentifier. */
export const ENTITY_ID = /^\d+:\d+$/;
