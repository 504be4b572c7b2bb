import type { z } from 'zod';
import { SonnysError } from './core/errors';
import { Paginator, type PaginationParams } from './core/pagination';
import { type Query, type QueryValue, type RequestOptions, Transport } from './core/request';
import { type ResolvedRetryTiming, type RetryTiming, resolveRetryTiming } from './core/retry';
import { type Logger, silentLogger } from './internal/logger';
import type { Priority, RateLimiter } from './rate-limit/types';
import { Customers } from './resources/customers';
import { Employees } from './resources/employees';
import { Giftcards } from './resources/giftcards';
import { Items } from './resources/items';
import { Recurring } from './resources/recurring';
import { SalesOutcomes } from './resources/sales-outcomes';
import { Sites } from './resources/sites';
import { Transactions } from './resources/transactions';
import { Washbooks } from './resources/washbooks';

import { DEFAULT_PAGE_LIMIT, PRODUCTION_BASE_URL } from './constants';

export { DEFAULT_PAGE_LIMIT, PRODUCTION_BASE_URL, SANDBOX_BASE_URL } from './constants';

export interface ClientOptions {
  /** `X-Sonnys-API-ID`; also the key the rate limiter budgets by (FACTS §0, §1.6). */
  apiId: string;
  /** `X-Sonnys-API-Key`. A secret: never logged, redacted from every error. */
  apiKey: string;
  /**
   * API root including `/v1`.
   * @default 'https://trigonapi.sonnyscontrols.com/v1' (production)
   */
  baseUrl?: string;
  /**
   * Sent as `X-Sonnys-Site-Code` to scope requests to one site (FACTS §1.3), and used as the
   * `site` of load-jobs when none is given. Can be overridden per request.
   * @default undefined (no header: data of every site the key may see)
   */
  siteCode?: string;
  /**
   * Per-attempt timeout in milliseconds, response body included.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Retries after the first attempt (GET: 429, 5xx, timeout, connection error, a 200 body cut short
   * or off-schema; POST: 429 only). Every attempt goes through the rate limiter.
   * @default 4
   */
  maxRetries?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * Receives debug lines per attempt, warnings per retry, errors for schema mismatches. Never
   * headers or the API key.
   * @default a silent logger
   */
  logger?: Logger;
  /**
   * Shared budget of 20 requests per 15 s per API ID. Every attempt (retries and load-job polls
   * included) acquires a permit and releases it with the outcome.
   * @default undefined: requests go straight out, unthrottled; after a 429 the retry then waits a
   * full 15-second server window itself
   */
  rateLimiter?: RateLimiter;
  /**
   * Limiter queue priority for calls that do not say.
   * @default 'background'
   */
  priority?: Priority;
  /** Backoff tuning and injectable sleep/random (tests). */
  retry?: RetryTiming;
}

/**
 * Client for the Sonny's Carwash Controls Data API. Framework-free: plain `fetch`, zod, no Next.js.
 *
 * ```ts
 * const sonnys = new SonnysClient({ apiId, apiKey, rateLimiter });
 * for await (const t of sonnys.transactions.listV2({ startDate, endDate, site: 'MAIN' })) { … }
 * ```
 */
export class SonnysClient {
  readonly apiId: string;
  readonly baseUrl: string;
  readonly siteCode: string | undefined;
  readonly logger: Logger;

  readonly transactions: Transactions = new Transactions(this);
  readonly sites: Sites = new Sites(this);
  readonly items: Items = new Items(this);
  readonly customers: Customers = new Customers(this);
  readonly employees: Employees = new Employees(this);
  readonly giftcards: Giftcards = new Giftcards(this);
  readonly washbooks: Washbooks = new Washbooks(this);
  readonly recurring: Recurring = new Recurring(this);
  readonly salesOutcomes: SalesOutcomes = new SalesOutcomes(this);

  readonly #options: ClientOptions;
  readonly #transport: Transport;

  constructor(options: ClientOptions) {
    if (!options.apiId) throw new SonnysError('SonnysClient: apiId is required.');
    if (!options.apiKey) throw new SonnysError('SonnysClient: apiKey is required.');
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') throw new SonnysError('SonnysClient: no fetch implementation available; pass `fetch`.');
    this.#options = options;
    this.apiId = options.apiId;
    this.baseUrl = options.baseUrl ?? PRODUCTION_BASE_URL;
    this.siteCode = options.siteCode;
    this.logger = options.logger ?? silentLogger;
    this.#transport = new Transport({
      apiId: options.apiId,
      apiKey: options.apiKey,
      baseUrl: this.baseUrl,
      siteCode: options.siteCode,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 4,
      fetch: fetchImpl,
      logger: this.logger,
      rateLimiter: options.rateLimiter,
      priority: options.priority ?? 'background',
      retry: resolveRetryTiming(options.retry),
    });
  }

  /** A client with some options changed (e.g. another `siteCode`), sharing nothing mutable with this one. */
  withOptions(overrides: Partial<ClientOptions>): SonnysClient {
    return new SonnysClient({ ...this.#options, ...overrides });
  }

  /** Backoff timing in effect, including the injectable sleep (load-job polling uses it too). */
  get retryTiming(): ResolvedRetryTiming {
    return this.#transport.retryTiming;
  }

  /** Low-level GET: validates the body with `schema` and returns its output. */
  get<S extends z.ZodType>(path: string, schema: S, query: Query = {}, options?: RequestOptions): Promise<z.output<S>> {
    return this.#transport.request({ method: 'GET', path, query, schema }, options);
  }

  /** Low-level POST with query parameters (the API takes no request bodies). */
  post<S extends z.ZodType>(path: string, schema: S, query: Query = {}, options?: RequestOptions, { idempotent = false } = {}): Promise<z.output<S>> {
    return this.#transport.request({ method: 'POST', path, query, schema, idempotent }, options);
  }

  /**
   * Low-level paginated GET: sends `limit` and `offset` (the page number) with the other params
   * and hands each validated page to `itemsOf`.
   */
  getList<S extends z.ZodType<{ data: { total: number | null } }>, T, P extends PaginationParams & { [K in keyof P]?: QueryValue }>(
    path: string,
    schema: S,
    itemsOf: (response: z.output<S>) => T[],
    params: P,
    options?: RequestOptions,
    maxLimit: number = DEFAULT_PAGE_LIMIT,
  ): Paginator<T> {
    const { limit = maxLimit, startPage, maxPages, ...query } = params;
    return new Paginator<T>(
      async (page, pageLimit) => {
        const response = await this.get(path, schema, { ...(query as Query), limit: pageLimit, offset: page }, options);
        return { items: itemsOf(response), total: response.data.total };
      },
      { limit, ...(startPage === undefined ? {} : { startPage }), ...(maxPages === undefined ? {} : { maxPages }) },
    );
  }

  /** Safe to log or serialise: no key, no resources. */
  toJSON(): Record<string, unknown> {
    return { apiId: this.apiId, baseUrl: this.baseUrl, siteCode: this.siteCode };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SonnysClient ${JSON.stringify(this.toJSON())}`;
  }
}
