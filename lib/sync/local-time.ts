/**
 * UTC instant → local day and hour in a site's zone, on the ingest hot path (one call per row).
 * `Intl.DateTimeFormat` is slow to construct and `formatToParts` allocates, so formatters are
 * memoised per zone and the zone's offset is cached per UTC hour (offsets only change on the hour
 * or half hour in every zone we meet, and we cache per quarter hour to be safe).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();
const QUARTER_HOUR_MS = 15 * 60 * 1000;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at `utcMs`, in ms (positive east of Greenwich). */
export function offsetAt(timeZone: string, utcMs: number): number {
  const bucket = Math.floor(utcMs / QUARTER_HOUR_MS);
  const key = `${timeZone}|${bucket}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const at = bucket * QUARTER_HOUR_MS;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const offset = asUtc - at;
  if (offsetCache.size > 50_000) offsetCache.clear();
  offsetCache.set(key, offset);
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
