/**
 * Washboard's SDK for the Sonny's Carwash Controls Data API. Framework-free: usable from the
 * sync engine, CLIs and tests alike.
 */
export { SonnysClient, type ClientOptions } from './client';
export { API_RATE_LIMIT, DEFAULT_PAGE_LIMIT, PRODUCTION_BASE_URL, SANDBOX_BASE_URL } from './constants';
export * from './core/errors';
export { Paginator, type Page, type PageFetcher, type PaginationParams, DEFAULT_MAX_PAGES, isLastPage } from './core/pagination';
export { type RequestOptions, type Query, type QueryValue, buildUrl, encodePathSegment } from './core/request';
export { type RetryTiming, type HttpMethod, isRetryable, backoffDelay, retryDelay } from './core/retry';
export { type Logger, silentLogger } from './internal/logger';
export { REDACTED } from './internal/redact';
export * from './dates';
export * from './schemas';
export type * from './rate-limit/types';
export { Transactions, type TransactionListParams, type LoadJobParams, type RunLoadJobParams, type RunLoadJobOptions, LOAD_JOB_PAGE_SIZE } from './resources/transactions';
export { Sites } from './resources/sites';
export { Items, type ItemListParams } from './resources/items';
export { Customers, type CustomerListParams } from './resources/customers';
export { Employees, type ClockEntriesParams } from './resources/employees';
export { Giftcards, type GiftcardListParams } from './resources/giftcards';
export { Washbooks, type WashbookListParams } from './resources/washbooks';
export {
  Recurring,
  type RecurringListParams,
  type RecurringStatusListParams,
  type RecurringModificationsParams,
  type RecurringDetailsListParams,
  STATUS_LIST_MAX_LIMIT,
} from './resources/recurring';
export { SalesOutcomes, type SalesOutcomeListParams, SALES_OUTCOME_MAX_LIMIT } from './resources/sales-outcomes';
