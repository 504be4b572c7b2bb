import { APIResource } from '../resource';
import type { Paginator, PaginationParams } from '../core/pagination';
import { type RequestOptions, encodePathSegment } from '../core/request';
import type { RecurringStatusCode } from '../schemas/accounts';
import {
  type RecurringAccount,
  RecurringAccountDetailsListResponseSchema,
  type RecurringAccountListItem,
  RecurringAccountListResponseSchema,
  RecurringAccountResponseSchema,
  type RecurringModificationCode,
  RecurringModificationsResponseSchema,
  type RecurringModifiedAccount,
  type RecurringStatusChange,
  RecurringStatusListResponseSchema,
} from '../schemas/recurring';

export interface RecurringListParams extends PaginationParams {
  recurringAccountStatus?: RecurringStatusCode;
  customerId?: string;
  /** Unix seconds, inclusive, on the sign-up date; at most 6 months. */
  startDate?: number;
  endDate?: number;
  itemId?: string;
}

export interface RecurringStatusListParams extends PaginationParams {
  recurringAccountStatus?: RecurringStatusCode;
  /** Unix seconds, inclusive; no 6-month horizon here. */
  startDate?: number;
  endDate?: number;
}

export interface RecurringModificationsParams extends PaginationParams {
  modifications?: RecurringModificationCode;
  /** Site codes; an array is joined with commas. */
  sites?: string | readonly string[];
  /** Unix seconds per the spec; passed through verbatim (production format unverified, FACTS §2.1). */
  startDate?: number | string;
  endDate?: number | string;
}

export interface RecurringDetailsListParams extends PaginationParams {
  recurringAccountStatus?: RecurringStatusCode;
  /** Unix seconds, inclusive; at most 1 month. */
  startDate?: number;
  endDate?: number;
}

/** Status-list pages run 100–1000 records (FACTS §2.1); the largest page spends the least budget. */
export const STATUS_LIST_MAX_LIMIT = 1000;

export class Recurring extends APIResource {
  /** `GET /recurring/account/list`. */
  list(params: RecurringListParams = {}, options?: RequestOptions): Paginator<RecurringAccountListItem> {
    return this._client.getList('recurring/account/list', RecurringAccountListResponseSchema, (r) => r.data.accounts, params, options);
  }

  /** `GET /recurring/account/status-list`: status changes, snake_case records. */
  statusList(params: RecurringStatusListParams = {}, options?: RequestOptions): Paginator<RecurringStatusChange> {
    return this._client.getList('recurring/account/status-list', RecurringStatusListResponseSchema, (r) => r.data.accounts, params, options, STATUS_LIST_MAX_LIMIT);
  }

  /** `GET /recurring/account/modifications`. */
  modifications(params: RecurringModificationsParams = {}, options?: RequestOptions): Paginator<RecurringModifiedAccount> {
    const { sites, ...rest } = params;
    const query = { ...rest, sites: typeof sites === 'string' || sites === undefined ? sites : sites.join(',') };
    return this._client.getList('recurring/account/modifications', RecurringModificationsResponseSchema, (r) => r.data.accounts, query, options);
  }

  /** `GET /recurring/account/{account_id}/detail`. */
  async retrieve(accountId: string, options?: RequestOptions): Promise<RecurringAccount> {
    const path = `recurring/account/${encodePathSegment(accountId)}/detail`;
    return (await this._client.get(path, RecurringAccountResponseSchema, {}, options)).data;
  }

  /** `GET /recurring/account/details/list`. */
  detailsList(params: RecurringDetailsListParams = {}, options?: RequestOptions): Paginator<RecurringAccount> {
    return this._client.getList('recurring/account/details/list', RecurringAccountDetailsListResponseSchema, (r) => r.data.accounts, params, options);
  }
}
