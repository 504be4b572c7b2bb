import { APIResource } from '../resource';
import type { LocalDate } from '../dates';
import type { Paginator, PaginationParams } from '../core/pagination';
import type { RequestOptions } from '../core/request';
import { type SalesOutcome, SalesOutcomeListResponseSchema } from '../schemas/sales-outcomes';

export interface SalesOutcomeListParams extends PaginationParams {
  /** `YYYY-MM-DD`. */
  startDate?: LocalDate;
  endDate?: LocalDate;
}

/** The only list whose page size goes to 500 (and defaults to it on the server). */
export const SALES_OUTCOME_MAX_LIMIT = 500;

export class SalesOutcomes extends APIResource {
  /** `GET /sales-outcome/list`: Sales Advisor Tool records. */
  list(params: SalesOutcomeListParams = {}, options?: RequestOptions): Paginator<SalesOutcome> {
    return this._client.getList('sales-outcome/list', SalesOutcomeListResponseSchema, (r) => r.data.sales, params, options, SALES_OUTCOME_MAX_LIMIT);
  }
}
