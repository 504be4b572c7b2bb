import { APIResource } from '../resource';
import type { Paginator, PaginationParams } from '../core/pagination';
import type { RequestOptions } from '../core/request';
import { type Item, type ItemDepartmentFilter, ItemListResponseSchema } from '../schemas/items';

export interface ItemListParams extends PaginationParams {
  /** Filter spelling differs from the response values (FACTS §2.4). */
  departmentName?: ItemDepartmentFilter;
}

export class Items extends APIResource {
  /** `GET /item`: items for sale (cached 1 h by the server). */
  list(params: ItemListParams = {}, options?: RequestOptions): Paginator<Item> {
    return this._client.getList('item', ItemListResponseSchema, (r) => r.data.items, params, options);
  }
}
