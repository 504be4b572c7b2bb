/**
 * The SDK's error tree (openai-node shape):
 *
 * SonnysError
 * ├─ APIError                     every failed exchange with the API; `status` when a response arrived
 * │  ├─ AuthenticationError       401/403, the seven 403 `type`s (FACTS §1.5) stay readable on `.type`
 * │  │  └─ SiteAccessError         403 for the three site-code types (FACTS §1.3)
 * │  ├─ ValidationError           400/422
 * │  ├─ NotFoundError             404 (also an expired load-job hash, FACTS §2.5)
 * │  ├─ RateLimitError            429
 * │  ├─ ServerError               5xx
 * │  ├─ APIConnectionError        no response (DNS, reset, refused)
 * │  │  └─ APITimeoutError        no response within `timeoutMs`
 * │  └─ APIUserAbortError         the caller's AbortSignal fired
 * ├─ ResponseValidationError      a 200 body that does not match the schema
 * ├─ LoadJobError                 a load-job ended in `fail` or never passed
 * └─ PaginationError              a list kept going past its page cap
 *
 * Every string stored here has already been scrubbed of the API key by the request pipeline;
 * `toJSON` exposes only those scrubbed fields, never the cause's own properties.
 */
import type { z } from 'zod';

export class SonnysError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message };
  }
}

/** What an error response body told us, whichever of the two shapes it came in (FACTS §1.5). */
export interface ParsedErrorBody {
  /** The parsed JSON, or the raw text when the body was not JSON; undefined when empty. */
  body: unknown;
  /** The API's discriminator, e.g. `BadClientCredentialsError`. Open-ended: new types appear. */
  type: string | undefined;
  /** `message`, or every entry of `messages` (PayloadValidationError). */
  messages: string[];
  /** `ServerUnexpectedFailure` reference to quote to the helpdesk, e.g. `SCEC0001`. */
  code: string | undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown): string[] {
  if (typeof v === 'string') return v.trim() === '' ? [] : [v];
  if (Array.isArray(v)) return v.filter((m): m is string => typeof m === 'string');
  return [];
}

/**
 * Accepts the spec's flat `{type, message|messages, code}` and the nested `{error:{type, message}}`
 * seen in the Python SDK's logs (FACTS §1.5 [?]); anything else is kept as the raw body.
 */
export function parseErrorBody(text: string): ParsedErrorBody {
  if (text.trim() === '') return { body: undefined, type: undefined, messages: [], code: undefined };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // HTML from a proxy, a plain-text 502: keep a bounded excerpt so logs stay readable.
    const excerpt = text.length > 500 ? `${text.slice(0, 500)}…` : text;
    return { body: excerpt, type: undefined, messages: [excerpt.trim()], code: undefined };
  }
  if (!isRecord(json)) return { body: json, type: undefined, messages: [], code: undefined };
  const source = isRecord(json.error) ? json.error : json;
  // `messages` is the per-parameter list; a body may also carry `message` as their summary (the
  // nested shape does), which would repeat every one of them. Use `message` only without a list.
  const list = stringList(source.messages);
  const messages = list.length > 0 ? list : stringList(source.message);
  return {
    body: json,
    type: typeof source.type === 'string' ? source.type : undefined,
    messages,
    code: typeof source.code === 'string' ? source.code : undefined,
  };
}

export interface APIErrorInit {
  status?: number | undefined;
  type?: string | undefined;
  messages?: string[] | undefined;
  code?: string | undefined;
  body?: unknown;
  headers?: Record<string, string> | undefined;
  /** `GET /transaction/version-2`: which call failed. */
  endpoint?: string | undefined;
  cause?: unknown;
}

export class APIError extends SonnysError {
  /** HTTP status; undefined when no response arrived (connection, timeout, abort). */
  readonly status: number | undefined;
  /** The API's error `type` (see FACTS §1.5), undefined when the body did not carry one. */
  readonly type: string | undefined;
  readonly messages: string[];
  readonly code: string | undefined;
  readonly body: unknown;
  /** Response headers, lower-case names, secrets redacted. */
  readonly headers: Record<string, string> | undefined;
  readonly endpoint: string | undefined;

  constructor(message: string, init: APIErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.type = init.type;
    this.messages = init.messages ?? [];
    this.code = init.code;
    this.body = init.body;
    this.headers = init.headers;
    this.endpoint = init.endpoint;
  }

  /** Builds the subclass that matches an HTTP error response. */
  static generate(status: number, parsed: ParsedErrorBody, init: Omit<APIErrorInit, 'status' | 'type' | 'messages' | 'code' | 'body'> = {}): APIError {
    const full: APIErrorInit = { ...init, status, type: parsed.type, messages: parsed.messages, code: parsed.code, body: parsed.body };
    const message = APIError.makeMessage(status, parsed, init.endpoint);
    if (status === 401 || status === 403) {
      return parsed.type !== undefined && SITE_ERROR_TYPES.has(parsed.type)
        ? new SiteAccessError(message, full)
        : new AuthenticationError(message, full);
    }
    if (status === 400 || status === 422) return new ValidationError(message, full);
    if (status === 404) return new NotFoundError(message, full);
    if (status === 429) return new RateLimitError(message, full);
    if (status >= 500) return new ServerError(message, full);
    return new APIError(message, full);
  }

  /** `403 BadClientCredentialsError: The credentials are not valid. (GET /item)` */
  static makeMessage(status: number, parsed: ParsedErrorBody, endpoint?: string): string {
    const head = parsed.type ? `${status} ${parsed.type}` : `${status}`;
    const text = parsed.messages.length > 0 ? parsed.messages.join('; ') : `HTTP ${status}`;
    const code = parsed.code ? ` [code ${parsed.code}]` : '';
    return `${head}: ${text}${code}${endpoint ? ` (${endpoint})` : ''}`;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      type: this.type,
      messages: this.messages,
      code: this.code,
      endpoint: this.endpoint,
      body: this.body,
      headers: this.headers,
    };
  }
}

/** The 403 types about credentials (FACTS §1.5). `NotAuthorizedError` bodies may say `BadClientCredentialsError`. */
export const CREDENTIAL_ERROR_TYPES: ReadonlySet<string> = new Set([
  'MissingClientCredentialsError',
  'BadClientCredentialsError',
  'MismatchCredentialsError',
  'NotAuthorizedError',
]);
/** The 403 types about the site code header or `site=` argument (FACTS §1.3). */
export const SITE_ERROR_TYPES: ReadonlySet<string> = new Set([
  'BadSiteCredentialsError',
  'NotAuthorizedSiteCredentialsError',
  'NotAuthorizedSiteArgsError',
]);

/** The credentials (or licence) were refused. Switch on `.type` for the exact reason. */
export class AuthenticationError extends APIError {}
/** The credentials are good but the site code (header or `site=`) is not usable with them. */
export class SiteAccessError extends AuthenticationError {}
export class ValidationError extends APIError {}
export class NotFoundError extends APIError {}
export class RateLimitError extends APIError {}
export class ServerError extends APIError {}

export class APIConnectionError extends APIError {
  constructor(message = 'Connection error.', init: APIErrorInit = {}) {
    super(message, init);
  }
}
export class APITimeoutError extends APIConnectionError {
  constructor(message = 'Request timed out.', init: APIErrorInit = {}) {
    super(message, init);
  }
}
export class APIUserAbortError extends APIError {
  constructor(message = 'Request was aborted.', init: APIErrorInit = {}) {
    super(message, init);
  }
}

export interface ResponseIssue {
  /** Dotted path into the body, e.g. `data.transactions[3].total`. */
  path: string;
  message: string;
}

/**
 * A 200 response whose body is not JSON (cut short by a proxy) or does not match the schema (the
 * vendor changed something, or a production quirk is not yet in FACTS.md). A GET is retried like
 * a 5xx (see `isRetryable`): a truncated body comes right the next time, a real change does not.
 */
export class ResponseValidationError extends SonnysError {
  readonly endpoint: string;
  readonly issues: ResponseIssue[];

  constructor(endpoint: string, issues: ResponseIssue[], options?: { cause?: unknown }) {
    const shown = issues.slice(0, 3).map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
    const more = issues.length > 3 ? ` (+${issues.length - 3} more)` : '';
    super(`Unexpected response from ${endpoint}: ${shown}${more}`, options);
    this.endpoint = endpoint;
    this.issues = issues;
  }

  static fromZod(endpoint: string, error: z.ZodError): ResponseValidationError {
    // The ZodError is not kept as cause: its issues carry `input`, which may be a whole page of data.
    return new ResponseValidationError(
      endpoint,
      error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    );
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), endpoint: this.endpoint, issues: this.issues };
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

export class LoadJobError extends SonnysError {
  readonly hash: string | undefined;
  /** The load-job page (1-based) that failed. */
  readonly page: number;
  readonly reason: 'failed' | 'timeout' | 'expired';

  constructor(message: string, init: { hash?: string | undefined; page: number; reason: LoadJobError['reason']; cause?: unknown }) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.hash = init.hash;
    this.page = init.page;
    this.reason = init.reason;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), hash: this.hash, page: this.page, reason: this.reason };
  }
}

export class PaginationError extends SonnysError {}
