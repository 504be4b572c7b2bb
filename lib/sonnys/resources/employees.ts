import { APIResource } from '../resource';
import type { LocalDate } from '../dates';
import type { Paginator, PaginationParams } from '../core/pagination';
import { type RequestOptions, encodePathSegment } from '../core/request';
import {
  type ClockEntries,
  ClockEntriesResponseSchema,
  type Employee,
  type EmployeeListItem,
  EmployeeListResponseSchema,
  EmployeeResponseSchema,
} from '../schemas/employees';

export interface ClockEntriesParams {
  /**
   * `YYYY-MM-DD`: production takes date strings here despite the spec's Unix seconds (FACTS §3 Q11).
   * At most 14 days per call; see `clockEntryChunks`. Omit both for the most recent entries.
   */
  startDate?: LocalDate;
  endDate?: LocalDate;
}

export class Employees extends APIResource {
  /**
   * `GET /employee`. The spec declares no paging parameters but the envelope has them; paging is
   * sent anyway (as the Python SDK does in production), and a server that ignores it ends the
   * list after one oversized page.
   */
  list(params: PaginationParams = {}, options?: RequestOptions): Paginator<EmployeeListItem> {
    return this._client.getList('employee', EmployeeListResponseSchema, (r) => r.data.employees, params, options);
  }

  /** `GET /employee/{employee_id}`. */
  async retrieve(employeeId: string | number, options?: RequestOptions): Promise<Employee> {
    return (await this._client.get(`employee/${encodePathSegment(employeeId)}`, EmployeeResponseSchema, {}, options)).data;
  }

  /** `GET /employee/{employee_id}/clock-entries`: entries of every site; filter on `siteCode` (FACTS §3 Q12). */
  async clockEntries(employeeId: string | number, params: ClockEntriesParams = {}, options?: RequestOptions): Promise<ClockEntries> {
    const path = `employee/${encodePathSegment(employeeId)}/clock-entries`;
    return (await this._client.get(path, ClockEntriesResponseSchema, { ...params }, options)).data;
  }
}
