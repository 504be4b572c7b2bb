import { APIResource } from '../resource';
import type { LocalDate } from '../dates';
import type { Paginator, PaginationParams } from '../core/pagination';
import { type RequestOptions, encodePathSegment } from '../core/request';
import { type Customer, type CustomerListItem, CustomerListResponseSchema, CustomerResponseSchema } from '../schemas/customers';

export interface CustomerListParams extends PaginationParams {
  firstName?: string;
  lastName?: string;
  status?: 'active' | 'inactive';
  /** Customers created on or after this day. `YYYY-MM-DD`, not seconds. */
  startDate?: LocalDate;
  /** Customers modified on or before this day (never-modified ones included). */
  endDate?: LocalDate;
  /** 10–11 digits; matches with or without a leading 1. */
  phoneNumber?: string;
}

export class Customers extends APIResource {
  /** `GET /customer`. */
  list(params: CustomerListParams = {}, options?: RequestOptions): Paginator<CustomerListItem> {
    return this._client.getList('customer', CustomerListResponseSchema, (r) => r.data.customers, params, options);
  }

  /** `GET /customer/{customer_id}`; `customerId` looks like `876:999`. */
  async retrieve(customerId: string, options?: RequestOptions): Promise<Customer> {
    return (await this._client.get(`customer/${encodePathSegment(customerId)}`, CustomerResponseSchema, {}, options)).data;
  }
}
