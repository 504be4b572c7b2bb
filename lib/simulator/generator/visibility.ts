/**
 * What the API can see at a data-clock instant: a transaction appears once the clock passes its
 * upload time (its own time, or the end of an upload outage covering it), and a later void turns a
 * Completed sale into Voided some minutes after it happened.
 */
import { localToUtcMs } from '@/lib/simulator/time';
import type { DatabaseSpec } from '@/lib/simulator/world';
import { operatingTimezone } from '@/lib/simulator/world';
import type { DataStore } from '@/lib/simulator/generator/store';
import type { SimTransaction, TxStatus, VisibleTx } from '@/lib/simulator/generator/types';

/** A site stops uploading for some hours; its backlog appears at once when the outage ends. */
export interface OutageSpec {
  database: string;
  site: string;
  /** Local day (`YYYY-MM-DD`) in the site's operating zone. */
  day: string;
  /** Local hour the outage starts (fractions allowed). */
  startHour: number;
  /** Length in hours; the backlog uploads at start + hours. */
  hours: number;
}

/** A Completed transaction that becomes Voided `afterMinutes` after its time. */
export interface LaterVoidSpec {
  database: string;
  transId: string;
  afterMinutes: number;
}

export class Visibility {
  private readonly outages = new Map<string, Array<{ startMs: number; endMs: number }>>();
  private readonly laterVoids = new Map<string, number>();

  constructor(private readonly store: DataStore) {}

  addOutage(spec: OutageSpec): void {
    const db = this.store.database(spec.database);
    const site = this.store.site(db, spec.site);
    const startMs = localToUtcMs(spec.day, Math.round(spec.startHour * 3600), operatingTimezone(site));
    const key = `${db.key}|${site.code}`;
    const list = this.outages.get(key) ?? [];
    list.push({ startMs, endMs: startMs + Math.round(spec.hours * 3600) * 1000 });
    this.outages.set(key, list);
  }

  addLaterVoid(spec: LaterVoidSpec): void {
    this.laterVoids.set(`${spec.database}|${spec.transId}`, spec.afterMinutes * 60_000);
  }

  /** When the transaction reaches the API. */
  uploadAt(db: DatabaseSpec, tx: SimTransaction): number {
    let at = tx.dateMs;
    const own = this.store.day(db, this.store.site(db, tx.siteCode), tx.day).outage;
    if (own && tx.dateMs >= own.startMs && tx.dateMs < own.endMs) at = Math.max(at, own.endMs);
    for (const o of this.outages.get(`${db.key}|${tx.siteCode}`) ?? []) {
      if (tx.dateMs >= o.startMs && tx.dateMs < o.endMs) at = Math.max(at, o.endMs);
    }
    return at;
  }

  /** When the transaction turns Voided, if ever. */
  voidAt(db: DatabaseSpec, tx: SimTransaction): number | null {
    const explicit = this.laterVoids.get(`${db.key}|${tx.transId}`);
    if (explicit !== undefined && tx.status === 'Completed') return tx.dateMs + explicit;
    return tx.laterVoidAtMs;
  }

  statusAt(db: DatabaseSpec, tx: SimTransaction, atMs: number): TxStatus {
    const v = this.voidAt(db, tx);
    return v !== null && atMs >= v ? 'Voided' : tx.status;
  }

  /** Transactions visible at `atMs` (use `Infinity` for the final state). */
  visible(db: DatabaseSpec, txs: readonly SimTransaction[], atMs: number): VisibleTx[] {
    const out: VisibleTx[] = [];
    for (const tx of txs) {
      if (tx.dateMs > atMs) continue;
      if (this.uploadAt(db, tx) > atMs) continue;
      out.push({ tx, status: this.statusAt(db, tx, atMs) });
    }
    return out;
  }

  /** Visible transactions of the given sites in [startMs, endMs], ordered by date then transId. */
  query(db: DatabaseSpec, siteCodes: readonly string[], startMs: number, endMs: number, atMs: number): VisibleTx[] {
    const out: VisibleTx[] = [];
    for (const code of siteCodes) {
      const site = this.store.site(db, code);
      out.push(...this.visible(db, this.store.transactionsInRange(db, site, startMs, Math.min(endMs, atMs)), atMs));
    }
    out.sort((a, b) => a.tx.dateMs - b.tx.dateMs || a.tx.siteId - b.tx.siteId || a.tx.number - b.tx.number);
    return out;
  }
}
