/**
 * Fault injection for tests and benchmarks. Every decision comes from a PRNG seeded with
 * (fault seed, request number), so a given sequence of requests meets the same faults each run.
 */
import { Rng, seedFrom } from '@/lib/simulator/random';

export interface LatencyRange {
  min: number;
  max: number;
}

export type MalformedKind = 'schema' | 'truncated';

export interface FaultOptions {
  /** @default 0 */
  seed?: number;
  /**
   * The request's network leg (uniform, ms): the server sees the request, authenticates it and
   * counts it against the throttle only when this delay has passed, i.e. at its arrival.
   */
  requestLatencyMs?: LatencyRange;
  /** Delay before writing the response (uniform, ms). */
  responseLatencyMs?: LatencyRange;
  /** Share of requests answered 500 ServerUnexpectedFailure. @default 0 */
  serverErrorRate?: number;
  /** Share of requests whose socket is destroyed without a response. @default 0 */
  dropRate?: number;
  /** Share of list responses whose `total` is null (FACTS Q2). Use 1 for always. @default 0 */
  nullTotalRate?: number;
  /** Emit errors as `{error:{type,message}}` (FACTS §1.5 [?]). @default false */
  nestedErrors?: boolean;
  /** Share of 200 list responses that are malformed. @default 0 */
  malformedRate?: number;
  /** Which malformations to choose from. @default ['schema', 'truncated'] */
  malformedKinds?: MalformedKind[];
  /**
   * Share of requests the server accepts (authenticated and counted against the throttle) and
   * never answers: the socket stays open until the client gives up, so only the client's timeout
   * ends the attempt. @default 0
   */
  hangRate?: number;
  /** Only inject into paths starting with one of these (after `/v1`), e.g. `/transaction`. */
  paths?: string[];
}

export interface FaultPlan {
  requestDelayMs: number;
  responseDelayMs: number;
  serverError: boolean;
  drop: boolean;
  nullTotal: boolean;
  malformed: MalformedKind | null;
  nested: boolean;
  hang: boolean;
}

export class FaultInjector {
  private options: FaultOptions;

  constructor(options: FaultOptions = {}) {
    this.options = { ...options };
  }

  set(options: FaultOptions): void {
    this.options = { ...options };
  }

  get current(): FaultOptions {
    return { ...this.options };
  }

  plan(requestNumber: number, path: string): FaultPlan {
    const o = this.options;
    const rng = new Rng(seedFrom(o.seed ?? 0, 'faults', requestNumber));
    // New faults draw after the older ones, so a seed keeps giving the faults it always gave.
    const draws = [rng.next(), rng.next(), rng.next(), rng.next(), rng.next(), rng.next(), rng.next(), rng.next()] as const;
    const latency = (r: LatencyRange | undefined, u: number): number => (r ? Math.round(r.min + u * Math.max(0, r.max - r.min)) : 0);
    const applies = !o.paths || o.paths.some((p) => path.startsWith(p));
    const kinds = o.malformedKinds?.length ? o.malformedKinds : (['schema', 'truncated'] as const);
    return {
      requestDelayMs: latency(o.requestLatencyMs, draws[0]),
      responseDelayMs: latency(o.responseLatencyMs, draws[1]),
      serverError: applies && draws[2] < (o.serverErrorRate ?? 0),
      drop: applies && draws[3] < (o.dropRate ?? 0),
      nullTotal: applies && draws[4] < (o.nullTotalRate ?? 0),
      malformed: applies && draws[5] < (o.malformedRate ?? 0) ? (kinds[Math.floor(draws[6] * kinds.length)] ?? 'schema') : null,
      nested: o.nestedErrors ?? false,
      hang: applies && draws[7] < (o.hangRate ?? 0),
    };
  }
}

/** Parse `5xx=0.02,drop=0.01,nulltotal=0.1,nested,malformed=0.05,hang=0.01,seed=3` (CLI syntax). */
export function parseFaultSpec(spec: string): FaultOptions {
  const out: FaultOptions = {};
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [k, v] = part.split('=') as [string, string | undefined];
    const n = v === undefined ? 1 : Number(v);
    if (Number.isNaN(n)) throw new Error(`Bad fault value in "${part}"`);
    switch (k.toLowerCase()) {
      case '5xx':
      case 'server':
        out.serverErrorRate = n;
        break;
      case 'drop':
        out.dropRate = n;
        break;
      case 'nulltotal':
      case 'null-total':
        out.nullTotalRate = n;
        break;
      case 'nested':
        out.nestedErrors = n !== 0;
        break;
      case 'malformed':
        out.malformedRate = n;
        break;
      case 'hang':
        out.hangRate = n;
        break;
      case 'seed':
        out.seed = n;
        break;
      default:
        throw new Error(`Unknown fault "${k}" (use 5xx, drop, nulltotal, nested, malformed, hang, seed)`);
    }
  }
  return out;
}

/** Parse `0-150ms` / `50ms` / `0-150`. */
export function parseLatency(spec: string): LatencyRange {
  const m = /^(\d+)(?:-(\d+))?(?:ms)?$/.exec(spec.trim());
  if (!m) throw new Error(`Bad latency "${spec}" (use e.g. 0-150ms)`);
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  return { min: Math.min(min, max), max: Math.max(min, max) };
}
