import { APIResource } from '../resource';
import type { Paginator, PaginationParams } from '../core/pagination';
import type { RequestOptions } from '../core/request';
import { type Giftcard, GiftcardListResponseSchema } from '../schemas/giftcards';

export interface GiftcardListParams extends PaginationParams {
  /** Card number, may be alphanumeric. */
  prepaidNumber?: string;
  /** Unix seconds, inclusive. */
  startDate?: number;
  endDate?: number;
  site?: string;
}

export class Giftcards extends APIResource {
  /** `GET /giftcard-liablilty` (the misspelling is the real path). */
  list(params: GiftcardListParams = {}, options?: RequestOptions): Paginator<Giftcard> {
    return this._client.getList('giftcard-liablilty', GiftcardListResponseSchema, (r) => r.data.giftcards, params, options);
  }
}
