/**
 * A Postgres connection failure as one sentence for an operator (db:copy, backups): node-postgres
 * reports a refused socket, an unknown host, a wrong password or a missing database each its own
 * way. The URL is named without its password; the server's own words never contain it.
 */
import { redactDatabaseUrl } from '@/lib/env';

export function connectionProblem(url: string, error: unknown): string {
  const where = redactDatabaseUrl(url);
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return `The Postgres server at ${where} cannot be reached (${e.code}); check that it is running and the host and port are right.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host of ${where} is unknown (${e.code}); check the URL.`;
    case '28P01':
    case '28000':
      return `Postgres refused the user or password of ${where}; check the credentials.`;
    case '3D000':
      return `The database named in ${where} does not exist; create it first (createdb), then run this again.`;
    default:
      return `Postgres at ${where} cannot be used: ${(e.message ?? String(error)).replace(/\.$/, '')}.`;
  }
}
