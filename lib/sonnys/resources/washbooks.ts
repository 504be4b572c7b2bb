import { APIResource } from '../resource';
import type { Paginator, PaginationParams } from '../core/pagination';
import { type RequestOptions, encodePathSegment } from '../core/request';
import {
  type WashbookAccount,
  WashbookAccountResponseSchema,
  type WashbookListItem,
  WashbookListResponseSchema,
} from '../schemas/washbooks';

export interface WashbookListParams extends PaginationParams {
  accountStatus?: 'active' | 'inactive';
  customerId?: string;
  /** Unix seconds, inclusive, on the creation date; at most 6 months. */
  startDate?: number;
  endDate?: number;
  itemId?: string;
}

export class Washbooks extends APIResource {
  /** `GET /washbook/account/list`: non-recurring washbook accounts. */
  list(params: WashbookListParams = {}, options?: RequestOptions): Paginator<WashbookListItem> {
    return this._client.getList('washbook/account/list', WashbookListResponseSchema, (r) => r.data.accounts, params, options);
  }

  /** `GET /washbook/account/{account_id}/detail`: recurring or not. */
  async retrieve(accountId: string, options?: RequestOptions): Promise<WashbookAccount> {
    const path = `washbook/account/${encodePathSegment(accountId)}/detail`;
    return (await this._client.get(path, WashbookAccountResponseSchema, {}, options)).data;
  }
}
