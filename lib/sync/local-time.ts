/**
 * UTC instant → local day and hour in a site's zone, on the ingest hot path (one call per row).
 * The zone arithmetic is the SDK's (`zoneOffsetMs`); this adds a cache of the offset per quarter
 * hour, because `formatToParts` is slow and allocates, and offsets only change on the quarter hour
 * (or coarser) in every zone.
 */
import { zoneOffsetMs } from '@/lib/sonnys';

const offsetCache = new Map<string, number>();
const QUARTER_HOUR_MS = 15 * 60 * 1000;

/** The zone's offset from UTC at `utcMs`, in ms (positive east of Greenwich). */
export function offsetAt(timeZone: string, utcMs: number): number {
  const bucket = Math.floor(utcMs / QUARTER_HOUR_MS);
  const key = `${timeZone}|${bucket}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset = zoneOffsetMs(timeZone, bucket * QUARTER_HOUR_MS);
    if (offsetCache.size > 50_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

export interface LocalParts {
  /** `YYYY-MM-DD` */
  day: string;
  /** 0-23 */
  hour: number;
  /** `HH:MM:SS` */
  time: string;
}

/** Local calendar day, hour and time of a UTC instant in `timeZone`. */
export function localParts(utcMs: number, timeZone: string): LocalParts {
  const local = new Date(utcMs + offsetAt(timeZone, utcMs));
  const iso = local.toISOString();
  return { day: iso.slice(0, 10), hour: local.getUTCHours(), time: iso.slice(11, 19) };
}
