import { APIResource } from '../resource';
import { type LocalDate, clockEntryChunks } from '../dates';
import type { Paginator, PaginationParams } from '../core/pagination';
import { type RequestOptions, encodePathSegment } from '../core/request';
import {
  type ClockEntry,
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

  /**
   * Every clock entry of one employee from `firstDay` through `lastDay`, fetched in 14-day
   * windows (FACTS §3 Q11) and flattened out of the week buckets. `siteCode` keeps only that
   * site's entries, since the endpoint returns all of them (FACTS §3 Q12).
   */
  async listClockEntries(
    employeeId: string | number,
    params: { firstDay: LocalDate; lastDay: LocalDate; siteCode?: string },
    options?: RequestOptions,
  ): Promise<ClockEntry[]> {
    const out: ClockEntry[] = [];
    for (const window of clockEntryChunks(params.firstDay, params.lastDay)) {
      const { weeks } = await this.clockEntries(employeeId, window, options);
      for (const week of weeks) {
        for (const entry of week.clockEntries) {
          if (params.siteCode === undefined || entry.siteCode === params.siteCode) out.push(entry);
        }
      }
    }
    return out;
  }
}
