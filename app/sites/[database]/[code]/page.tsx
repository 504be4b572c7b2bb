import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getReportContext } from '@/app/_lib/report-context';
import { listFreshness } from '@/db/queries/freshness';
import { getReportTotals } from '@/db/queries/reports';
import { getSite } from '@/db/queries/sites';
import { BusiestHours } from '@/components/reports/busiest-hours';
import { DownloadLinks } from '@/components/reports/download-links';
import { FreshnessLine } from '@/components/reports/freshness-line';
import { KpiCards } from '@/components/reports/kpi-cards';
import { ReportFilters } from '@/components/reports/report-filters';
import { SiteDaily } from '@/components/reports/site-daily';
import { ReportProblem, Skeleton } from '@/components/reports/ui';
import { filtersToSearchParams } from '@/lib/reports/filters';
import { formatRange } from '@/lib/reports/format';
import { PRESET_LABELS } from '@/lib/reports/range';
import type { ReportScope } from '@/lib/reports/scope';

export const dynamic = 'force-dynamic';

type Params = Promise<{ database: string; code: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Route segments arrive percent-encoded when the code has characters a URL path must escape. */
function segment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { database, code } = await params;
  const site = await getSite({ databaseKey: segment(database), code: segment(code) });
  return { title: site ? `${site.name} (${site.databaseName})` : 'Site not found' };
}

export default async function SitePage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { database, code } = await params;
  const raw = await searchParams;
  const databaseKey = segment(database);
  const siteCode = segment(code);
  // Only the range applies here: the database and site come from the path.
  const { result } = await getReportContext({ preset: raw.preset, from: raw.from, to: raw.to });
  const site = await getSite({ databaseKey, code: siteCode });
  const basePath = `/sites/${encodeURIComponent(databaseKey)}/${encodeURIComponent(siteCode)}`;

  if (!site) {
    return (
      <div className="stack">
        <h1>Site not found</h1>
        <ReportProblem
          title="This site is not in Washboard"
          message={`There is no site with code "${siteCode}" in a database called "${databaseKey}". It may be a typo in the address, or the site has not been synced yet.`}
          backLabel="Back to the overview"
        />
      </div>
    );
  }
  if (!result.ok) {
    return (
      <div className="stack">
        <h1>{site.name}</h1>
        <ReportProblem title="This view cannot be shown" message={result.message} backHref={basePath} backLabel={`Back to ${site.name} for the last 30 days`} />
      </div>
    );
  }

  const { filters } = result;
  const ref = { databaseKey, code: siteCode };
  const scope: ReportScope = { from: filters.range.from, to: filters.range.to, sites: [ref] };
  const rangeQuery = filtersToSearchParams({ range: filters.range }).toString();
  const [totals, freshness] = await Promise.all([getReportTotals({ scope }), listFreshness({ databaseKeys: [databaseKey] })]);

  return (
    <div className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb small">
        <Link href={`/?${rangeQuery}`}>Overview</Link> <span aria-hidden="true">›</span>{' '}
        <Link href={`/?${filtersToSearchParams({ range: filters.range, databaseKeys: [databaseKey] })}`}>{site.databaseName}</Link>{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">{site.name}</span>
      </nav>
      <header className="page-head">
        <h1>
          {site.name} <span className="muted">{site.code}</span>
        </h1>
        <p className="muted">
          {site.databaseName} · time zone <strong data-testid="site-timezone">{site.effectiveTimezone}</strong>
          {site.timezone ? '' : ' (the database default: Sonny’s reports none for this site)'}
          {site.removedAt != null && ' · no longer listed by Sonny’s'}
        </p>
        <p className="muted">
          {filters.range.preset === 'custom' ? 'Custom range' : PRESET_LABELS[filters.range.preset]}: {formatRange(filters.range)}
        </p>
        <FreshnessLine list={freshness} />
      </header>

      <ReportFilters action={basePath} preset={filters.range.preset} from={filters.range.from} to={filters.range.to} />
      <DownloadLinks filters={{ range: filters.range, databaseKeys: undefined, sites: [ref] }} />

      <KpiCards scope={scope} totals={totals} />
      <section className="card" aria-labelledby="days-title">
        <h2 id="days-title">Day by day</h2>
        <Suspense fallback={<Skeleton label="daily figures" height={320} />}>
          <SiteDaily scope={scope} />
        </Suspense>
      </section>
      <section className="card" aria-labelledby="hours-heading">
        <h2 id="hours-heading">Busiest hours</h2>
        <Suspense fallback={<Skeleton label="busiest hours" />}>
          <BusiestHours scope={scope} timeZone={site.effectiveTimezone} />
        </Suspense>
      </section>
      <p>
        <Link href={`/?${rangeQuery}`}>← Back to the overview</Link>
      </p>
    </div>
  );
}
