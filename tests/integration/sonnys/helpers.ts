/**
 * The SDK against the simulator over loopback: two pieces written apart, checked against each
 * other. Nothing here is mocked; `recordingFetch` only watches the real `fetch` go by.
 */
import { SonnysClient, type ClientOptions } from '@/lib/sonnys';
import { startSimulator, type Simulator, type SimulatorOptions } from '@/lib/simulator';

/** Tuesday noon in Chicago, two days after the 2026 spring-forward. */
export const NOW = Date.parse('2026-03-10T18:00:00Z');
/** A whole 24-hour local day before NOW (fits one load-job, one site-day of truth). */
export const DAY = '2026-03-09';
export const sec = (ms: number): number => Math.floor(ms / 1000);
/** Money from the SDK (a number of dollars) as integer cents, the unit of truth. */
export const cents = (dollars: number): number => Math.round(dollars * 100);

/**
 * A simulator on a frozen data clock with a throttle too large to matter and quick load-jobs.
 * Tests about throttling pass their own `throttle`.
 */
export function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({
    clock: { start: NOW, frozen: true },
    throttle: { limit: 100_000 },
    jobs: { workingMs: 30 },
    ...options,
  });
}

/** Deterministic [0, 1) source (mulberry32) for backoff jitter. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Backoff in milliseconds instead of seconds; the retry decisions themselves are untouched. */
export const FAST_RETRY = { baseDelayMs: 2, maxDelayMs: 10, rateLimitWindowMs: 20 } as const;

export interface Exchange {
  method: string;
  /** Path below `/v1`, without the query. */
  path: string;
  query: URLSearchParams;
  /** HTTP status, or `undefined` when no response arrived (dropped connection). */
  status: number | undefined;
}

/** The real `fetch`, with every exchange written down (method, path, status). */
export function recordingFetch(): { fetch: typeof fetch; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const recorded: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const entry: Exchange = { method: init?.method ?? 'GET', path: url.pathname.replace(/^\/v1/, ''), query: url.searchParams, status: undefined };
    exchanges.push(entry);
    const response = await fetch(input, init);
    entry.status = response.status;
    return response;
  };
  return { fetch: recorded, exchanges };
}

/** A client for one of the simulator's databases (`washu` or `icon` in the demo world). */
export function clientFor(sim: Simulator, database = 'washu', options: Partial<ClientOptions> = {}): SonnysClient {
  const db = sim.world.databases.find((d) => d.key === database);
  if (!db) throw new Error(`no database ${database} in the simulated world`);
  return new SonnysClient({
    apiId: db.apiId,
    apiKey: db.apiKey,
    baseUrl: sim.url,
    maxRetries: 0,
    ...options,
    retry: { ...FAST_RETRY, random: seededRandom(1), ...options.retry },
  });
}

/** The local day of `DAY` at a site as Unix seconds, from truth (not from the SDK's own date helpers). */
export function dayWindow(sim: Simulator, site: string, database = 'washu', day = DAY): { startDate: number; endDate: number } {
  const t = sim.truth.day({ database, site, day });
  return { startDate: t.startUtcSec, endDate: t.endUtcSec };
}
