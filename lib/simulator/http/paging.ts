/**
 * Pagination as production does it: `offset` is a 1-based page number (FACTS Q1), so a page is
 * rows [(offset-1)*limit, offset*limit). Past the end the array is empty, not a 404.
 */
import type { RequestContext } from '@/lib/simulator/http/runtime';

export interface Paging {
  limit: number;
  offset: number;
}

export function readPaging(ctx: RequestContext, bounds: { min?: number; max?: number; defaultLimit?: number } = {}): Paging {
  const min = bounds.min ?? 1;
  const max = bounds.max ?? 100;
  const limit = ctx.q.int('limit', { min, max }) ?? bounds.defaultLimit ?? Math.min(max, Math.max(min, ctx.rt.rules.defaultLimit));
  const offset = ctx.q.int('offset', { min: 1 }) ?? 1;
  return { limit, offset };
}

export function pageOf<T>(rows: readonly T[], p: Paging): T[] {
  return rows.slice((p.offset - 1) * p.limit, p.offset * p.limit);
}

/** `{ [key]: page, offset, limit, total }`. */
export function listData<T, U>(key: string, rows: readonly T[], p: Paging, map: (row: T) => U): Record<string, unknown> {
  return { [key]: pageOf(rows, p).map(map), offset: p.offset, limit: p.limit, total: rows.length };
}
