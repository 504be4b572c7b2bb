/**
 * The load-job / get-job-data store (FACTS §2.5): each page of a job is its own job with a 32-hex
 * hash; identical criteria within the TTL return the same hash without a new build; a job stays
 * `working` for a while, then `pass` (or `fail`); after the TTL the hash answers 404.
 */
import { createHash } from 'node:crypto';
import { Rng, seedFrom } from '@/lib/simulator/random';

export interface JobOptions {
  /** How long a new job reports `working`, ms (on the wall clock, or the data clock if that moves first). @default 2000 */
  workingMs?: number;
  /** Share of jobs that end in `fail`. @default 0 */
  failRate?: number;
  /** Job lifetime on the data clock, ms. @default 20 min */
  ttlMs?: number;
  /** Include the v2 flags in job items (production omits them, FACTS Q7). @default false */
  includeV2Flags?: boolean;
}

export interface Job<T> {
  hash: string;
  /** Database key of the API ID that submitted it. */
  owner: string;
  createdAt: number;
  createdWall: number;
  fails: boolean;
  rows: T[];
  offset: number;
  limit: number;
}

export class JobStore<T> {
  private readonly byKey = new Map<string, Job<T>>();
  private readonly byHash = new Map<string, Job<T>>();
  private serial = 0;

  constructor(
    private readonly options: Required<Omit<JobOptions, 'includeV2Flags'>>,
    private readonly seed: number,
  ) {}

  /** Returns the hash for `key`, building the job only if no live one exists. */
  submit(owner: string, key: string, now: number, wallNow: number, offset: number, limit: number, build: () => T[]): string {
    this.purge(now);
    key = `${owner}|${key}`;
    const live = this.byKey.get(key);
    if (live) return live.hash;
    this.serial += 1;
    const hash = createHash('md5').update(`${key}|${now}|${this.serial}`).digest('hex');
    const fails = new Rng(seedFrom(this.seed, 'job', key, now)).next() < this.options.failRate;
    const job: Job<T> = { hash, owner, createdAt: now, createdWall: wallNow, fails, rows: build(), offset, limit };
    this.byKey.set(key, job);
    this.byHash.set(hash, job);
    return hash;
  }

  get(owner: string, hash: string, now: number, wallNow: number): { job: Job<T>; status: 'working' | 'pass' | 'fail' } | null {
    this.purge(now);
    const job = this.byHash.get(hash);
    if (!job || job.owner !== owner) return null;
    const done = wallNow - job.createdWall >= this.options.workingMs || now - job.createdAt >= this.options.workingMs;
    return { job, status: !done ? 'working' : job.fails ? 'fail' : 'pass' };
  }

  private purge(now: number): void {
    for (const [key, job] of this.byKey) {
      if (now >= job.createdAt + this.options.ttlMs || now < job.createdAt) {
        this.byKey.delete(key);
        this.byHash.delete(job.hash);
      }
    }
  }
}
