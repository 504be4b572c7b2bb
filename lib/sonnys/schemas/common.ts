/**
 * Building blocks for response schemas. The spec is the starting point; these widen it where
 * production was seen to differ (FACTS §2.3, §3), and normalise so callers see one shape:
 * money is always a number, an unset string is always null, unknown enum values pass through.
 */
import { z } from 'zod';

const NUMERIC = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)\s*$/;
const INTEGER = /^\s*[-+]?\d+\s*$/;

/**
 * Money, balances, rates: a number or a numeric string such as `"5.00"` (FACTS §2.3 "Numbers that
 * arrive as strings"), always output as a number.
 */
export const money = z.union([
  z.number(),
  z.string().regex(NUMERIC, 'expected a number or a numeric string').transform(Number),
]);

/** {@link money} that may be null, missing or `""`; output `number | null`. */
export const nullableMoney = z
  .union([money, z.literal(''), z.null()])
  .optional()
  .transform((v) => (v === '' || v === null || v === undefined ? null : v));

/** An integer that may arrive as a string (the spec's EmployeeDetails example is `"1"`). */
export const integer = z.union([
  z.number().int(),
  z.string().regex(INTEGER, 'expected an integer or an integer string').transform(Number),
]);

/** Envelope counters: production sends `total: null` (FACTS §3 Q2), so all three are nullable. */
export const count = integer.nullish().transform((v) => v ?? null);

/** A string field whose examples are sometimes numbers (SKUs, site IDs); output a string. */
export const stringish = z.union([z.string(), z.number().transform(String)]);

/**
 * An optional string: null, missing and `""` (production's "unset", FACTS §3 Q4) all become null,
 * so `value ?? fallback` works and nothing downstream has to know about the sentinel.
 */
export const text = z
  .union([stringish, z.null()])
  .optional()
  .transform((v) => (v === undefined || v === null || v.trim() === '' ? null : v));

/** A known value with autocomplete, or any other string the vendor adds later. */
export type OpenEnum<T extends string> = T | (string & {});

/**
 * An enum that never rejects: the spec's lists are incomplete (FACTS §1.5, §2.4), and refusing a
 * whole page of transactions over one new status would stall a sync. Callers compare against the
 * exported value lists; an unknown value is kept as is.
 */
export function openEnum<const T extends readonly string[]>(_values: T) {
  return z.string().transform((v): OpenEnum<T[number]> => v);
}

/** {@link openEnum} that may be null, missing or `""`. */
export function nullableOpenEnum<const T extends readonly string[]>(_values: T) {
  return text.transform((v): OpenEnum<T[number]> | null => v);
}

/** `{ data: T }`, the shape of every 200 body (FACTS §1.4). */
export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ data });
}

/**
 * Paging fields of list envelopes. The item array itself stays required in each list schema:
 * a renamed or missing key must fail loudly rather than read as "no records".
 */
export const pageFields = { offset: count, limit: count, total: count };
