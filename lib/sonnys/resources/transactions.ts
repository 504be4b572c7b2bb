import { APIResource } from '../resource';
import { LoadJobError, NotFoundError, SonnysError } from '../core/errors';
import { Paginator, type PaginationParams } from '../core/pagination';
import { type RequestOptions, encodePathSegment } from '../core/request';
import {
  type JobData,
  JobDataResponseSchema,
  type JobTransaction,
  type LoadJobResult,
  LoadJobResponseSchema,
  type Transaction,
  type TransactionItemType,
  type TransactionListItem,
  type TransactionListItemV2,
  TransactionListResponseSchema,
  TransactionListV2ResponseSchema,
  TransactionResponseSchema,
} from '../schemas/transactions';

export interface TransactionListParams extends PaginationParams {
  /** Unix seconds, inclusive; at most 31 days before `endDate` (see `transactionListChunks`). */
  startDate?: number;
  /** Unix seconds, inclusive; not in the future. */
  endDate?: number;
  /** Site code. Without it (and without a site header) every site the key sees is returned. */
  site?: string;
  /** Region code; ignored by the server when `site` is sent. */
  region?: string;
}

export interface LoadJobParams {
  /** Unix seconds, inclusive; the range must fit in 24 hours (see `loadJobChunks`). */
  startDate: number;
  endDate: number;
  /**
   * Always sent: multi-site keys get 422 "Only 1 site can be selected" without it, even with the
   * site header (FACTS §3 Q8). @default the client's `siteCode`
   */
  site?: string;
  /** 1-based page; each page is its own job with its own hash (FACTS §2.5). @default 1 */
  page?: number;
}

export interface RunLoadJobParams extends Omit<LoadJobParams, 'page'>, Omit<PaginationParams, 'limit'> {}

export interface RunLoadJobOptions extends RequestOptions {
  /**
   * Wait between `get-job-data` polls while a job is working. Polls spend rate-limit budget like
   * any request.
   * @default 2000
   */
  pollIntervalMs?: number;
  /**
   * Give up on one page when it has not passed after this long.
   * @default 300000
   */
  pageTimeoutMs?: number;
  /**
   * Fresh submissions allowed per page when the hash expired (404 after 20 minutes, FACTS §2.5).
   * @default 2
   */
  maxResubmits?: number;
}

/** load-job pages must be exactly 100 records (openapi.yml `/transaction/load-job` note 4). */
export const LOAD_JOB_PAGE_SIZE = 100;

export class Transactions extends APIResource {
  /** `GET /transaction`: summaries (v1). */
  list(params: TransactionListParams = {}, options?: RequestOptions): Paginator<TransactionListItem> {
    return this._client.getList('transaction', TransactionListResponseSchema, (r) => r.data.transactions, params, options);
  }

  /** `GET /transaction/type/{item_type}`: summaries of one item type; `wash` marks a washed car (FACTS §3 Q16). */
  listByType(itemType: TransactionItemType, params: TransactionListParams = {}, options?: RequestOptions): Paginator<TransactionListItem> {
    const path = `transaction/type/${encodePathSegment(itemType)}`;
    return this._client.getList(path, TransactionListResponseSchema, (r) => r.data.transactions, params, options);
  }

  /** `GET /transaction/version-2`: summaries with status and membership flags. */
  listV2(params: TransactionListParams = {}, options?: RequestOptions): Paginator<TransactionListItemV2> {
    return this._client.getList('transaction/version-2', TransactionListV2ResponseSchema, (r) => r.data.transactions, params, options);
  }

  /** `GET /transaction/{trans_id}`: one transaction with tenders, items and discounts. */
  async retrieve(transId: string, options?: RequestOptions): Promise<Transaction> {
    return (await this._client.get(`transaction/${encodePathSegment(transId)}`, TransactionResponseSchema, {}, options)).data;
  }

  /**
   * `POST /transaction/load-job`: starts building one page of detailed transactions. Retried like
   * a GET: identical criteria within 20 minutes return the same job (FACTS §2.2 #6), so a repeat
   * after a lost answer starts nothing new.
   */
  async loadJob(params: LoadJobParams, options?: RequestOptions): Promise<LoadJobResult> {
    const query = {
      startDate: params.startDate,
      endDate: params.endDate,
      site: this.#site(params.site),
      limit: LOAD_JOB_PAGE_SIZE,
      offset: params.page ?? 1,
    };
    return (await this._client.post('transaction/load-job', LoadJobResponseSchema, query, options, { idempotent: true })).data;
  }

  /** `GET /transaction/get-job-data`: one poll of a job. A 404 means the hash expired. */
  async getJobData(hash: string, options?: RequestOptions): Promise<JobData> {
    return (await this._client.get('transaction/get-job-data', JobDataResponseSchema, { hash }, options)).data;
  }

  /**
   * A whole load-job run: for each page, submit, poll until `pass`, yield; resubmit a page whose
   * hash expired. Iterate items, or `.pages()` to commit page by page; `startPage` resumes.
   * Job items omit the v2 flags (FACTS §3 Q7).
   */
  runLoadJob(params: RunLoadJobParams, options: RunLoadJobOptions = {}): Paginator<JobTransaction> {
    const { startPage, maxPages, ...job } = params;
    const site = this.#site(job.site);
    return new Paginator<JobTransaction>((page) => this.#runPage({ ...job, site, page }, options), {
      limit: LOAD_JOB_PAGE_SIZE,
      ...(startPage === undefined ? {} : { startPage }),
      ...(maxPages === undefined ? {} : { maxPages }),
    });
  }

  async #runPage(params: LoadJobParams & { page: number }, options: RunLoadJobOptions): Promise<{ items: JobTransaction[]; total: number | null }> {
    const { pollIntervalMs = 2000, pageTimeoutMs = 300_000, maxResubmits = 2, ...requestOptions } = options;
    const { sleep } = this._client.retryTiming;
    const logger = this._client.logger;
    const deadline = Date.now() + pageTimeoutMs;
    let resubmits = 0;
    let hash = (await this.loadJob(params, requestOptions)).hash;
    for (;;) {
      let job: JobData;
      try {
        job = await this.getJobData(hash, requestOptions);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        if (resubmits >= maxResubmits) {
          throw new LoadJobError(`load-job page ${params.page}: hash expired ${resubmits + 1} times`, { hash, page: params.page, reason: 'expired', cause: error });
        }
        resubmits++;
        logger.info('sonnys: load-job hash expired, resubmitting', { page: params.page, resubmits });
        hash = (await this.loadJob(params, requestOptions)).hash;
        continue;
      }
      if (job.status === 'pass') return { items: job.data, total: job.total };
      if (job.status === 'fail') {
        throw new LoadJobError(`load-job page ${params.page} failed on the server`, { hash, page: params.page, reason: 'failed' });
      }
      if (Date.now() >= deadline) {
        throw new LoadJobError(`load-job page ${params.page} still "${job.status}" after ${pageTimeoutMs} ms`, { hash, page: params.page, reason: 'timeout' });
      }
      await sleep(pollIntervalMs, requestOptions.signal);
    }
  }

  #site(site: string | undefined): string {
    const resolved = site ?? this._client.siteCode;
    if (!resolved) {
      throw new SonnysError('load-job needs a site code: pass `site` or set the client `siteCode` (FACTS §3 Q8).');
    }
    return resolved;
  }
}
