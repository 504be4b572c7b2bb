import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { getReportContext } from '@/app/_lib/report-context';
import { listFreshness } from '@/db/queries/freshness';
import { getReportTotals } from '@/db/queries/reports';
import { getDataVersion } from '@/db/queries/statements';
import { BusiestHours } from '@/components/reports/busiest-hours';
import { chosenColumns } from '@/components/reports/column-chooser';
import { DownloadLinks } from '@/components/reports/download-links';
import { FreshnessLine } from '@/components/reports/freshness-line';
import { KpiCards } from '@/components/reports/kpi-cards';
import { LiveUpdates } from '@/components/reports/live-updates';
import { ReportFilters } from '@/components/reports/report-filters';
import { SITE_DAY_COLUMNS, SITE_DAY_DEFAULT_COLUMNS, SiteDaily } from '@/components/reports/site-daily';
import { SyncInView } from '@/components/reports/sync-in-view';
import { ReportProblem, Skeleton } from '@/components/reports/ui';
import { canSyncDatabase } from '@/lib/auth/scope';
import { toLocalDate } from '@/lib/calendar';
import { filtersToSearchParams } from '@/lib/reports/filters';
import { formatRange } from '@/lib/reports/format';
import { PRESET_LABELS } from '@/lib/reports/range';
import type { ReportScope } from '@/lib/reports/scope';
import { siteFromPath, sitePath, zoneReason } from './site-path';

export const dynamic = 'force-dynamic';

type Params = Promise<{ database: string; code: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const site = await siteFromPath(await params);
  return { title: site ? `${site.name} (${site.databaseName})` : 'Site not found' };
}

export default async function SitePage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const raw = await searchParams;
  const site = await siteFromPath(await params);
  if (!site) notFound();
  // Only the range and comparison apply here: the database and site come from the path.
  const { result, now, viewer } = await getReportContext({ preset: raw.preset, from: raw.from, to: raw.to, compare: raw.compare });
  const basePath = sitePath(site);

  if (!result.ok) {
    return (
      <div className="stack">
        <h1>{site.name}</h1>
        <ReportProblem title="This view cannot be shown" message={result.message} backHref={basePath} backLabel={`Back to ${site.name} for the last 30 days`} />
      </div>
    );
  }

  const { filters } = result;
  const ref = { databaseKey: site.databaseKey, code: site.code };
  const scope: ReportScope = { from: filters.range.from, to: filters.range.to, sites: [ref] };
  // "Today" for this page is the site's own: a Honolulu site's day ends five hours after Chicago's.
  const today = toLocalDate(now, site.effectiveTimezone);
  const rangeQuery = filtersToSearchParams({ range: filters.range, compare: filters.compare });
  const [totals, freshness, version] = await Promise.all([
    getReportTotals({ scope, compare: filters.compare, now }),
    listFreshness({ databaseKeys: [site.databaseKey], sites: [ref] }),
    getDataVersion(),
  ]);
  const visible = chosenColumns(raw.cols, SITE_DAY_COLUMNS.map((c) => c.key), SITE_DAY_DEFAULT_COLUMNS);

  return (
    <div className="stack report-page">
      <nav aria-label="Breadcrumb" className="breadcrumb small">
        <Link href={`/?${rangeQuery}`}>Overview</Link> <span aria-hidden="true">›</span>{' '}
        <Link href={`/?${filtersToSearchParams({ range: filters.range, databaseKeys: [site.databaseKey], compare: filters.compare })}`}>{site.databaseName}</Link>{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">{site.name}</span>
      </nav>
      <header className="page-head">
        <h1>
          {site.name} <span className="muted">{site.code}</span>
        </h1>
        <p className="muted">
          {site.databaseName} · days run in <strong data-testid="site-timezone">{site.effectiveTimezone}</strong>{' '}
          <span data-testid="site-timezone-reason">· {zoneReason(site)}</span>
          {site.removedAt != null && ' · no longer listed by Sonny’s'}
        </p>
        <p className="muted">
          {filters.range.preset === 'custom' ? 'Custom range' : PRESET_LABELS[filters.range.preset]}: {formatRange(filters.range)}
        </p>
        <FreshnessLine list={freshness} />
        <div className="live-row">
          <LiveUpdates version={version} renderedAt={now} />
          {canSyncDatabase(viewer, site.databaseKey) && <SyncInView databases={[{ key: site.databaseKey, name: site.databaseName }]} all={false} />}
        </div>
      </header>

      <ReportFilters
        action={basePath}
        preset={filters.range.preset}
        from={filters.range.from}
        to={filters.range.to}
        compare={filters.compare}
        keep={{ cols: typeof raw.cols === 'string' ? raw.cols : undefined }}
      />
      <KpiCards totals={totals} timeZone={site.effectiveTimezone} />
      <DownloadLinks filters={{ range: filters.range, databaseKeys: undefined, sites: [ref] }} />

      <section className="card" aria-labelledby="days-title">
        <h2 id="days-title">Day by day</h2>
        <Suspense fallback={<Skeleton label="daily figures" height={320} />}>
          <SiteDaily scope={scope} today={today} timeZone={site.effectiveTimezone} basePath={basePath} visible={visible} keep={rangeQuery} />
        </Suspense>
      </section>
      <section className="card" aria-labelledby="hours-heading">
        <h2 id="hours-heading">Busiest hours</h2>
        <Suspense fallback={<Skeleton label="busiest hours" />}>
          <BusiestHours scope={scope} timeZone={site.effectiveTimezone} today={today} />
        </Suspense>
      </section>
      <p>
        <Link href={`/?${rangeQuery}`}>← Back to the overview</Link>
      </p>
    </div>
  );
}
