import { startSimulator, type Simulator, type SimulatorOptions } from '@/lib/simulator/index';

/**
 * Untyped JSON from the wire: tests assert on shapes field by field, so a schema type here
 * would only restate what the assertions check.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Wire = any;

/** Tuesday noon in Chicago, two days after the 2026 spring-forward. */
export const NOW = Date.parse('2026-03-10T18:00:00Z');

export interface Call {
  status: number;
  headers: Headers;
  text: string;
  body: Wire;
}

export interface Harness {
  sim: Simulator;
  /** GET (or `method`) a path under /v1 with a database's credentials. */
  call(path: string, opts?: { db?: string; site?: string; method?: string; headers?: Record<string, string> }): Promise<Call>;
  creds(db?: string): Record<string, string>;
}

export async function harness(options: SimulatorOptions = {}): Promise<Harness> {
  const sim = await startSimulator({ clock: { start: NOW, frozen: true }, throttle: { limit: 100_000 }, ...options });
  const creds = (key = 'washu'): Record<string, string> => {
    const db = sim.world.databases.find((d) => d.key === key);
    if (!db) throw new Error(`no db ${key}`);
    return { 'X-Sonnys-API-ID': db.apiId, 'X-Sonnys-API-Key': db.apiKey };
  };
  return {
    sim,
    creds,
    async call(path, opts = {}) {
      const headers: Record<string, string> = { ...creds(opts.db), ...(opts.site ? { 'X-Sonnys-Site-Code': opts.site } : {}), ...opts.headers };
      const res = await fetch(`${sim.url}${path}`, { method: opts.method ?? 'GET', headers });
      const text = await res.text();
      let body: Wire = undefined;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: res.status, headers: res.headers, text, body };
    },
  };
}

export const sec = (ms: number): number => Math.floor(ms / 1000);

/** Page through a list endpoint (1-based page offsets) and return every row. */
export async function pageAll(h: Harness, path: string, key: string, opts: { db?: string; site?: string; limit?: number } = {}): Promise<Wire[]> {
  const rows: Wire[] = [];
  const limit = opts.limit ?? 100;
  for (let offset = 1; offset < 1000; offset++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await h.call(`${path}${sep}limit=${limit}&offset=${offset}`, opts);
    if (r.status !== 200) throw new Error(`${path} page ${offset}: ${r.status} ${r.text}`);
    const page = r.body.data[key] as Wire[];
    rows.push(...page);
    if (page.length < limit) return rows;
  }
  throw new Error('too many pages');
}
