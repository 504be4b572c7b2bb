/**
 * Page-number pagination as the API really does it (FACTS §3 Q1, Q2): `offset` is a 1-based page
 * number, `total` may be null, so the reliable end is a short page. Lists are async iterables of
 * items; `.pages()` yields whole pages for callers that commit page by page.
 */
import { PaginationError } from './errors';

export interface Page<T> {
  items: T[];
  /** 1-based page number, as sent in `offset`. */
  page: number;
  /** The limit sent with this page. */
  limit: number;
  /** Records across all pages as the server reported it; null when production omits it. */
  total: number | null;
}

/** Fetches one page; the paginator owns the page number and limit. */
export type PageFetcher<T> = (page: number, limit: number) => Promise<{ items: T[]; total: number | null }>;

export interface PaginationParams {
  /**
   * Records per page. Larger pages spend less of the 20-per-15 s budget.
   * @default the endpoint's maximum (100 for most lists)
   */
  limit?: number;
  /**
   * First page to fetch (1-based), to resume an interrupted sync.
   * @default 1
   */
  startPage?: number;
  /**
   * Guard against a server that ignores `offset` while `total` is null, which would otherwise
   * loop forever. Exceeding it throws {@link PaginationError} rather than silently truncating.
   * @default 1000
   */
  maxPages?: number;
}

export const DEFAULT_MAX_PAGES = 1000;

export class Paginator<T> implements AsyncIterable<T> {
  readonly #fetchPage: PageFetcher<T>;
  readonly #limit: number;
  readonly #startPage: number;
  readonly #maxPages: number;

  constructor(fetchPage: PageFetcher<T>, params: PaginationParams & { limit: number }) {
    if (!Number.isInteger(params.limit) || params.limit < 1) throw new RangeError(`limit must be a positive integer, got ${params.limit}`);
    const startPage = params.startPage ?? 1;
    if (!Number.isInteger(startPage) || startPage < 1) throw new RangeError(`startPage must be an integer ≥ 1, got ${startPage}`);
    this.#fetchPage = fetchPage;
    this.#limit = params.limit;
    this.#startPage = startPage;
    this.#maxPages = params.maxPages ?? DEFAULT_MAX_PAGES;
  }

  /** Whole pages in order. Stops after the first page that proves it is the last. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    const limit = this.#limit;
    // Records before the start page count toward `total` when resuming.
    let seen = (this.#startPage - 1) * limit;
    for (let page = this.#startPage; ; page++) {
      if (page - this.#startPage >= this.#maxPages) {
        throw new PaginationError(`Stopped after ${this.#maxPages} pages without reaching the end (last page ${page - 1}); the server may be ignoring offset.`);
      }
      const { items, total } = await this.#fetchPage(page, limit);
      seen += items.length;
      yield { items, page, limit, total };
      if (isLastPage(items.length, limit, total, seen)) return;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** Every item of every page. For bounded lists; prefer iteration for big ones. */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this) out.push(item);
    return out;
  }
}

/**
 * A page is the last when it is short (including empty), when a known total has been reached,
 * or when it is longer than asked for: that server ignored paging and sent everything at once
 * (possible on `/employee`, which declares no paging parameters, FACTS §2.2 #10).
 */
export function isLastPage(count: number, limit: number, total: number | null, seen: number): boolean {
  if (count < limit || count > limit) return true;
  return total !== null && seen >= total;
}
