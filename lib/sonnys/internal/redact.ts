/**
 * Secret scrubbing. The API key is a password (openapi.yml "Nomenclature"), and errors travel far:
 * into logs, sync-run records and, through a careless `JSON.stringify`, the browser. So every string
 * an error or log line carries passes through here before it is stored.
 */

export const REDACTED = '[REDACTED]';

/** Header names whose values are secrets, lower-case. */
const SECRET_HEADERS = new Set(['x-sonnys-api-key', 'authorization', 'cookie', 'set-cookie']);

export class Redactor {
  readonly #secrets: string[];

  constructor(secrets: readonly (string | undefined)[]) {
    // Very short "secrets" would shred ordinary text (a key of "1" would redact every digit).
    this.#secrets = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  }

  string(value: string): string {
    let out = value;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  /** Deep copy of a JSON-like value with every secret string replaced. */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.string(value);
    if (value === null || typeof value !== 'object' || depth > 20) return value;
    if (Array.isArray(value)) return value.map((v) => this.value(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[this.string(k)] = SECRET_HEADERS.has(k.toLowerCase()) ? REDACTED : this.value(v, depth + 1);
    }
    return out;
  }

  headers(headers: Headers | Record<string, string> | undefined): Record<string, string> | undefined {
    if (!headers) return undefined;
    const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
    const out: Record<string, string> = {};
    for (const [k, v] of entries) {
      out[k.toLowerCase()] = SECRET_HEADERS.has(k.toLowerCase()) ? REDACTED : this.string(v);
    }
    return out;
  }

  /**
   * An error safe to keep as `cause`: the original when it holds no secret (so stack and identity
   * survive), otherwise a copy with the secret scrubbed from message and stack.
   */
  error(err: unknown): unknown {
    if (!(err instanceof Error)) return typeof err === 'string' ? this.string(err) : err;
    const message = this.string(err.message);
    const stack = err.stack === undefined ? undefined : this.string(err.stack);
    if (message === err.message && stack === err.stack) return err;
    const copy = new Error(message);
    copy.name = err.name;
    if (stack !== undefined) copy.stack = stack;
    return copy;
  }
}
