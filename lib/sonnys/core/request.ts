/**
 * One request, from permit to parsed body: acquire a permit from the rate limiter, send with a
 * timeout, release the permit with the outcome, map failures to the error tree, retry what may
 * be retried (each retry acquires a fresh permit), and validate a 200 body against its schema (a
 * GET whose body is cut short or off-schema is retried too).
 */
import type { z } from 'zod';
import type { Permit, Priority, RateLimiter, ReleaseOutcome } from '../rate-limit/types';
import type { Logger } from '../internal/logger';
import { Redactor } from '../internal/redact';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  ResponseValidationError,
  parseErrorBody,
} from './errors';
import { type HttpMethod, type ResolvedRetryTiming, isRetryable, retryDelay } from './retry';

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

/** Options accepted by every SDK method, overriding the client's defaults for one call. */
export interface RequestOptions {
  /** Queue position at the rate limiter. @default the client's `priority` */
  priority?: Priority;
  /** Aborts the wait for a permit, the request in flight and any backoff sleep. */
  signal?: AbortSignal;
  /**
   * Aborts only the waiting: for a permit, and a backoff sleep between attempts. A request already
   * sent is never cut off by it (its slot is spent either way), so a caller can take back work that
   * has not reached the API yet, e.g. to let more urgent work have the next window (issue 15).
   */
  waitSignal?: AbortSignal;
  /** Per-attempt timeout in milliseconds, body included. @default the client's `timeoutMs` */
  timeoutMs?: number;
  /** @default the client's `maxRetries` */
  maxRetries?: number;
  /**
   * `X-Sonnys-Site-Code` for this call; `null` sends none even when the client has one.
   * @default the client's `siteCode`
   */
  siteCode?: string | null;
}

/**
 * Runs `wait` with a signal that aborts when the call's signal or its wait-only signal does. The
 * listeners are removed afterwards (a long run's signal sees thousands of waits; `AbortSignal.any`
 * keeps its sources' references alive on Node 20).
 */
async function whileWaiting<T>(options: RequestOptions, wait: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  const { signal, waitSignal: only } = options;
  if (!signal || !only) return wait(signal ?? only);
  const both = new AbortController();
  const abort = () => both.abort();
  if (signal.aborted || only.aborted) both.abort();
  signal.addEventListener('abort', abort, { once: true });
  only.addEventListener('abort', abort, { once: true });
  try {
    return await wait(both.signal);
  } finally {
    signal.removeEventListener('abort', abort);
    only.removeEventListener('abort', abort);
  }
}

export interface TransportConfig {
  apiId: string;
  apiKey: string;
  baseUrl: string;
  siteCode: string | undefined;
  timeoutMs: number;
  maxRetries: number;
  fetch: typeof fetch;
  logger: Logger;
  rateLimiter: RateLimiter | undefined;
  priority: Priority;
  retry: ResolvedRetryTiming;
}

export interface APIRequest<S extends z.ZodType> {
  method: HttpMethod;
  /** Repeating the request is harmless, so failures retry like a GET's. @default true for GET only */
  idempotent?: boolean;
  /** Path below the base URL, already encoded (see {@link encodePathSegment}). */
  path: string;
  query?: Query;
  schema: S;
}

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** Path segments go in as-is apart from reserved characters; `:` in `876:1001` stays (FACTS §1.8). */
export function encodePathSegment(value: string | number): string {
  return encodeURIComponent(String(value)).replace(/%3A/gi, ':');
}

export function buildUrl(baseUrl: string, path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.append(key, String(value));
  }
  const qs = params.toString();
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}${qs ? `?${qs}` : ''}`;
}

export class Transport {
  readonly #config: TransportConfig;
  readonly #redactor: Redactor;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.#redactor = new Redactor([config.apiKey]);
  }

  get apiId(): string {
    return this.#config.apiId;
  }

  get siteCode(): string | undefined {
    return this.#config.siteCode;
  }

  get retryTiming(): ResolvedRetryTiming {
    return this.#config.retry;
  }

  async request<S extends z.ZodType>(req: APIRequest<S>, options: RequestOptions = {}): Promise<z.output<S>> {
    const cfg = this.#config;
    const endpoint = `${req.method} /${req.path.replace(/^\/+/, '')}`;
    const url = buildUrl(cfg.baseUrl, req.path, req.query);
    const maxRetries = options.maxRetries ?? cfg.maxRetries;

    for (let attempt = 0; ; attempt++) {
      try {
        const raw = await this.#attempt(req.method, url, endpoint, options, attempt);
        if (raw.status >= 200 && raw.status < 300) return this.#parse(req.schema, raw, endpoint);
        throw this.#statusError(raw, endpoint);
      } catch (error) {
        if (attempt >= maxRetries || !isRetryable(req.method, error, req.idempotent ?? req.method === 'GET')) {
          // Logged once, when it fails the call: a truncated body that the retry fixes is only a warning.
          if (error instanceof ResponseValidationError) {
            cfg.logger.error('sonnys: response did not match schema', { endpoint, issues: error.issues.slice(0, 5) });
          }
          throw error;
        }
        const delay = retryDelay(attempt, error, cfg.retry, cfg.rateLimiter !== undefined);
        cfg.logger.warn('sonnys: retrying request', {
          endpoint,
          attempt: attempt + 1,
          maxRetries,
          delayMs: delay,
          reason: error instanceof APIError ? (error.status ?? error.name) : error instanceof ResponseValidationError ? error.message : String(error),
        });
        await whileWaiting(options, (signal) => cfg.retry.sleep(delay, signal));
      }
    }
  }

  async #acquire(options: RequestOptions): Promise<Permit | undefined> {
    const cfg = this.#config;
    if (options.signal?.aborted || options.waitSignal?.aborted) throw new APIUserAbortError();
    const limiter = cfg.rateLimiter;
    if (!limiter) return undefined;
    return whileWaiting(options, async (signal) => {
      try {
        return await limiter.acquire(cfg.apiId, { priority: options.priority ?? cfg.priority, ...(signal ? { signal } : {}) });
      } catch (error) {
        if (signal?.aborted) throw new APIUserAbortError(undefined, { cause: this.#redactor.error(error) });
        throw error;
      }
    });
  }

  async #attempt(method: HttpMethod, url: string, endpoint: string, options: RequestOptions, attempt: number): Promise<RawResponse> {
    const cfg = this.#config;
    const permit = await this.#acquire(options);
    let released = false;
    const release = async (outcome: ReleaseOutcome) => {
      if (released || !permit) return;
      released = true;
      try {
        await permit.release(outcome);
      } catch (error) {
        // A limiter hiccup must not turn a good response into a failure.
        cfg.logger.warn('sonnys: rate limiter release failed', { endpoint, error: String(this.#redactor.error(error)) });
      }
    };

    const timeoutMs = options.timeoutMs ?? cfg.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onUserAbort = () => controller.abort();
    options.signal?.addEventListener('abort', onUserAbort, { once: true });

    const started = Date.now();
    cfg.logger.debug('sonnys: request', { endpoint, url: this.#redactor.string(url), attempt: attempt + 1 });
    try {
      const response = await cfg.fetch(url, { method, headers: this.#headers(options), signal: controller.signal });
      // Released at the headers, not after the body: the answer's time bounds when the server's
      // window ends (policy.ts), and the earlier it is recorded the sooner the next window may go.
      await release({ status: response.status, rateLimited: response.status === 429 });
      const text = await response.text();
      cfg.logger.debug('sonnys: response', { endpoint, status: response.status, ms: Date.now() - started });
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      await release({ rateLimited: false });
      const cause = this.#redactor.error(error);
      if (options.signal?.aborted) throw new APIUserAbortError(`Request was aborted (${endpoint}).`, { endpoint, cause });
      if (timedOut) throw new APITimeoutError(`Request timed out after ${timeoutMs} ms (${endpoint}).`, { endpoint, cause });
      const detail = cause instanceof Error ? `${cause.message}${causeCode(cause)}` : String(cause);
      throw new APIConnectionError(`Connection error: ${detail} (${endpoint}).`, { endpoint, cause });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onUserAbort);
    }
  }

  #headers(options: RequestOptions): Record<string, string> {
    const cfg = this.#config;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'X-Sonnys-API-ID': cfg.apiId,
      'X-Sonnys-API-Key': cfg.apiKey,
    };
    const siteCode = options.siteCode === undefined ? cfg.siteCode : options.siteCode;
    if (siteCode) headers['X-Sonnys-Site-Code'] = siteCode;
    return headers;
  }

  #statusError(raw: RawResponse, endpoint: string): APIError {
    const parsed = parseErrorBody(raw.text);
    const r = this.#redactor;
    return APIError.generate(
      raw.status,
      {
        body: r.value(parsed.body),
        type: parsed.type === undefined ? undefined : r.string(parsed.type),
        messages: parsed.messages.map((m) => r.string(m)),
        code: parsed.code === undefined ? undefined : r.string(parsed.code),
      },
      { endpoint, headers: r.headers(raw.headers) },
    );
  }

  #parse<S extends z.ZodType>(schema: S, raw: RawResponse, endpoint: string): z.output<S> {
    let json: unknown;
    try {
      json = JSON.parse(raw.text);
    } catch {
      throw new ResponseValidationError(endpoint, [{ path: '', message: `body is not JSON (${raw.text.length} bytes)` }]);
    }
    const result = schema.safeParse(json);
    if (!result.success) throw ResponseValidationError.fromZod(endpoint, result.error);
    return result.data;
  }
}

/** Node's fetch hides the useful part (`ECONNREFUSED`) one level down. */
function causeCode(error: Error): string {
  const inner = (error as { cause?: unknown }).cause;
  if (inner && typeof inner === 'object' && 'code' in inner && typeof inner.code === 'string') return ` (${inner.code})`;
  return '';
}
