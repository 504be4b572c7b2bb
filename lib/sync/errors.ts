/**
 * One plain sentence for a failed sync: which database, site, endpoint and why (issue #5). Built
 * from the SDK's typed errors; never includes a key (the SDK redacts, and we add none).
 */
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  NotFoundError,
  PaginationError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  SiteAccessError,
  ValidationError,
} from '@/lib/sonnys';
import { NormalizeError } from './normalize';

export interface FailureContext {
  databaseName: string;
  /** Env prefix of the database's credentials, when configured (not in demo mode). */
  credentialsHint?: string;
  siteCode?: string;
  endpoint: string;
  /** e.g. "2026-10-01 to 2026-10-31, page 3" */
  detail?: string;
}

function reason(error: unknown, ctx: FailureContext): string {
  const typed = (e: APIError) => (e.type ? ` (${e.type})` : '');
  if (error instanceof SiteAccessError) return `the API ID may not read this site${typed(error)}`;
  if (error instanceof AuthenticationError) {
    const check = ctx.credentialsHint ? ` Check ${ctx.credentialsHint}_API_ID and ${ctx.credentialsHint}_API_KEY.` : '';
    return `the API rejected the credentials${typed(error)}.${check}`;
  }
  if (error instanceof RateLimitError) return 'the API kept refusing with 429 (another program may be using the same API ID)';
  if (error instanceof ValidationError) {
    const messages = error.messages.length ? `: ${error.messages.join('; ')}` : '';
    return `the API refused the request${typed(error)}${messages}`;
  }
  if (error instanceof NotFoundError) return `the API answered 404${typed(error)}`;
  if (error instanceof ServerError) return `the API failed with HTTP ${error.status}${typed(error)}`;
  if (error instanceof APITimeoutError) return 'the API did not answer in time';
  if (error instanceof APIConnectionError) return 'the API could not be reached';
  if (error instanceof APIError) return `the API answered HTTP ${error.status ?? '?'}${typed(error)}`;
  if (error instanceof ResponseValidationError) return `the API sent a page Washboard cannot read (${error.message})`;
  if (error instanceof NormalizeError) return `the API sent a transaction Washboard cannot read (${error.message})`;
  if (error instanceof PaginationError) return error.message;
  return `an unexpected error occurred (${error instanceof Error ? error.message : String(error)})`;
}

export function describeFailure(error: unknown, ctx: FailureContext): string {
  const where = [ctx.siteCode ? `site ${ctx.siteCode}` : null, `${ctx.endpoint}${ctx.detail ? ` (${ctx.detail})` : ''}`]
    .filter(Boolean)
    .join(', ');
  const sentence = `Sync of ${ctx.databaseName} failed at ${where}: ${reason(error, ctx)}`;
  return `${sentence.replace(/\.+$/, '')}.`;
}
