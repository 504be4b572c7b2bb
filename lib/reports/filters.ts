/**
 * The report filters as they appear in a URL (`?preset=last7&db=washu&site=washu:JOL&sort=revenue`),
 * validated with zod and checked against the databases and sites Washboard knows. Pages and CSV
 * routes parse the same way; a bad filter becomes one plain sentence, never an exception.
 */
import { z } from 'zod';
import { clip, comparisonSchema, DEFAULT_COMPARISON, parseRange, type Comparison, type ResolvedRange } from './range';
import type { ReportScope, SiteRef } from './scope';

/** Next.js gives `string | string[]` per key; for single-valued keys the first value counts. */
const single = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v[0] : v));
const multiple = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean));

export const SITE_SORT_KEYS = [
  'site',
  'database',
  'transactions',
  'revenue',
  'averageTicket',
  'membershipSales',
  'redemptions',
  'voided',
  'change',
  'carsWashed',
  'revenuePerCar',
  'newMemberships',
  'conversion',
  'laborCostPerCar',
  'memberWashes',
  'retailWashes',
  'freeWashes',
  'eligibleWashes',
  'laborHours',
  'laborCost',
  'membershipRevenue',
  'refunds',
] as const;
export const siteSortSchema = z.enum(SITE_SORT_KEYS);
export type SiteSortKey = z.infer<typeof siteSortSchema>;
export const sortDirectionSchema = z.enum(['asc', 'desc']);
export type SortDirection = z.infer<typeof sortDirectionSchema>;

export const reportSearchParamsSchema = z.object({
  preset: single,
  from: single,
  to: single,
  /** Database keys; repeated (`db=a&db=b`) or comma-separated. */
  db: multiple.transform((list) => list.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean)),
  /** `databaseKey:siteCode`, repeated. Database keys never contain a colon; site codes may. */
  site: multiple,
  // An unknown sort is not worth an error page: fall back to the default order.
  sort: single.transform((v) => siteSortSchema.safeParse(v).data),
  dir: single.transform((v) => sortDirectionSchema.safeParse(v).data),
  /** What the range is compared with; an unknown value falls back to the previous period. */
  compare: single.transform((v) => comparisonSchema.safeParse(v).data),
});
export type ReportSearchParams = z.input<typeof reportSearchParamsSchema>;

export interface ReportFilters {
  range: ResolvedRange;
  /** Whole databases chosen; with `sites`, the scope is their union. */
  databaseKeys: string[] | undefined;
  /** Single sites chosen (never one of a database chosen whole). */
  sites: SiteRef[] | undefined;
  sort: SiteSortKey | undefined;
  dir: SortDirection | undefined;
  compare: Comparison;
}

export type FiltersResult = { ok: true; filters: ReportFilters; scope: ReportScope } | { ok: false; message: string };

/** What the filters are checked against: the registered databases and their sites. */
export type FilterCatalog = readonly { key: string; name: string; sites: readonly { code: string }[] }[];

export function parseSiteRef(value: string): SiteRef | undefined {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) return undefined;
  return { databaseKey: value.slice(0, colon), code: value.slice(colon + 1) };
}

export function formatSiteRef(site: SiteRef): string {
  return `${site.databaseKey}:${site.code}`;
}

/**
 * The catalog's database for what a URL says: its key or its display name, in any case
 * (`db=WashU` and `db=washu` are the same database).
 */
export function findDatabase<D extends FilterCatalog[number]>(catalog: readonly D[], keyOrName: string): D | undefined {
  const wanted = keyOrName.trim().toLowerCase();
  return catalog.find((d) => d.key === wanted) ?? catalog.find((d) => d.key.toLowerCase() === wanted || d.name.toLowerCase() === wanted);
}

export function parseReportFilters(
  raw: Record<string, string | string[] | undefined>,
  options: { today: string; catalog: FilterCatalog },
): FiltersResult {
  const parsed = reportSearchParamsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: 'The address has filters Washboard cannot read.' };
  const { preset, from, to, db, site, sort, dir, compare } = parsed.data;

  const range = parseRange({ preset, from, to }, { today: options.today });
  if (!range.ok) return range;

  const databaseKeys: string[] = [];
  for (const value of db) {
    const database = findDatabase(options.catalog, value);
    if (!database) return { ok: false, message: `Washboard has no database called "${clip(value)}".` };
    if (!databaseKeys.includes(database.key)) databaseKeys.push(database.key);
  }
  const sites: SiteRef[] = [];
  for (const value of site) {
    const ref = parseSiteRef(value);
    const database = ref && findDatabase(options.catalog, ref.databaseKey);
    if (!ref || !database) return { ok: false, message: `There is no site "${clip(value)}".` };
    const code = database.sites.find((s) => s.code === ref.code)?.code ?? database.sites.find((s) => s.code.toLowerCase() === ref.code.toLowerCase())?.code;
    if (code === undefined) return { ok: false, message: `${database.name} has no site with code "${clip(ref.code)}".` };
    // A site of a database chosen whole is already in the union.
    if (databaseKeys.includes(database.key) || sites.some((s) => s.databaseKey === database.key && s.code === code)) continue;
    sites.push({ databaseKey: database.key, code });
  }

  const filters: ReportFilters = {
    range: range.range,
    databaseKeys: databaseKeys.length ? databaseKeys : undefined,
    sites: sites.length ? sites : undefined,
    sort,
    dir,
    compare: compare ?? DEFAULT_COMPARISON,
  };
  return {
    ok: true,
    filters,
    scope: { from: filters.range.from, to: filters.range.to, databaseKeys: filters.databaseKeys, sites: filters.sites },
  };
}

/** `URLSearchParams` (route handlers, CLI) in the shape Next.js gives pages. */
export function searchParamsToRecord(params: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    record[key] = all.length === 1 ? all[0]! : all;
  }
  return record;
}

/** The query string that reproduces filters (for links: CSV downloads, sorting, site pages). */
export function filtersToSearchParams(
  filters: Pick<ReportFilters, 'range'> & Partial<Omit<ReportFilters, 'range'>>,
  overrides: { sort?: SiteSortKey; dir?: SortDirection; includeSites?: boolean; compare?: Comparison } = {},
): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.range.preset === 'custom') {
    params.set('from', filters.range.from);
    params.set('to', filters.range.to);
  } else {
    params.set('preset', filters.range.preset);
  }
  for (const key of filters.databaseKeys ?? []) params.append('db', key);
  if (overrides.includeSites !== false) for (const site of filters.sites ?? []) params.append('site', formatSiteRef(site));
  const sort = overrides.sort ?? filters.sort;
  const dir = overrides.dir ?? filters.dir;
  if (sort) params.set('sort', sort);
  if (dir) params.set('dir', dir);
  const compare = overrides.compare ?? filters.compare;
  if (compare && compare !== DEFAULT_COMPARISON) params.set('compare', compare);
  return params;
}
