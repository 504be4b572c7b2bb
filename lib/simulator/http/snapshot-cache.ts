/**
 * Server-side response caches with snapshot semantics: the first request builds the value; an
 * identical request before the TTL gets that same snapshot even if the data changed since.
 * TTLs run on the data clock so tests can step past them.
 */
export class SnapshotCache<T> {
  private readonly entries = new Map<string, { createdAt: number; value: T }>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 2000,
  ) {}

  getOrBuild(key: string, now: number, build: () => T): { value: T; createdAt: number; hit: boolean } {
    const e = this.entries.get(key);
    if (e && now >= e.createdAt && now < e.createdAt + this.ttlMs) return { value: e.value, createdAt: e.createdAt, hit: true };
    const value = build();
    this.entries.delete(key);
    this.entries.set(key, { createdAt: now, value });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return { value, createdAt: now, hit: false };
  }

  clear(): void {
    this.entries.clear();
  }
}
