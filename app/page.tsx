import type { Metadata } from 'next';
import Link from 'next/link';
import { getReportContext } from '@/app/_lib/report-context';
import { listFreshness } from '@/db/queries/freshness';
import { getDataExtent, getReportTotals, listDailyRevenueBySite, listDayStatuses } from '@/db/queries/reports';
import { getDataVersion } from '@/db/queries/statements';
import { chosenColumns } from '@/components/reports/column-chooser';
import { DailyRevenue } from '@/components/reports/daily-revenue';
import { DayCoverageNote } from '@/components/reports/day-coverage-note';
import { DownloadLinks } from '@/components/reports/download-links';
import { FreshnessLine } from '@/components/reports/freshness-line';
import { KpiCards } from '@/components/reports/kpi-cards';
import { LiveUpdates } from '@/components/reports/live-updates';
import { ReportFilters } from '@/components/reports/report-filters';
import { DatabaseSplit, RevenueBySite } from '@/components/reports/revenue-by-site';
import { SITE_TABLE_COLUMNS, SITE_TABLE_DEFAULT_COLUMNS, SiteTable } from '@/components/reports/site-table';
import { SyncInView } from '@/components/reports/sync-in-view';
import { ReportProblem } from '@/components/reports/ui';
import { canSyncDatabase, databasesInScope } from '@/lib/auth/scope';
import { formatSiteRef } from '@/lib/reports/filters';
import { formatDay, formatRange } from '@/lib/reports/format';
import { PRESET_LABELS } from '@/lib/reports/range';

export const dynamic = 'force-dynamic';
// The layout's title template does not apply to its own segment's page.
export const metadata: Metadata = { title: { absolute: 'Overview · Washboard' } };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = await searchParams;
  const { catalog, result, today, timeZone, now, viewer } = await getReportContext(raw);

  if (!result.ok) {
    return (
      <div className="stack">
        <h1>Overview</h1>
        <ReportProblem title="This view cannot be shown" message={result.message} />
      </div>
    );
  }

  if (catalog.length === 0) {
    return (
      <div className="stack">
        <h1>Overview</h1>
        <section className="card notice" aria-labelledby="empty-title" data-testid="empty-state">
          <h2 id="empty-title">No databases yet</h2>
          <p>
            Washboard has no Sonny&apos;s database to show. Set <code>SONNYS_DATABASES</code> and each database&apos;s API ID and key
            (see <code>.env.example</code>), or leave it unset to run the demo, then start the app again.
          </p>
        </section>
      </div>
    );
  }

  const { filters, scope } = result;
  // Every block's data in one await, and the blocks plain (not async) components without their own
  // <Suspense>: the reads take a millisecond or two (a year of 20 sites uncached, ~12 ms) and are
  // reused until the database changes, so skeletons never showed, while each async block and
  // boundary cost the server a streamed chunk and its bookkeeping on every view (issue #6: the
  // overview under 20 concurrent requests).
  const [extent, totals, points, freshness, days, version] = await Promise.all([
    getDataExtent(),
    getReportTotals({ scope, compare: filters.compare, now }),
    listDailyRevenueBySite({ scope }),
    // Whole databases count whole; a manager's narrowed scope names its sites, and only those count.
    listFreshness({ databaseKeys: databasesInScope(scope, catalog), ...(scope.sites && !scope.databaseKeys ? { sites: scope.sites } : {}) }),
    listDayStatuses({ scope, today }),
    getDataVersion(),
  ]);
  const { sites } = totals;
  const hasData = sites.some((s) => s.transactions + s.voided + s.otherStatus > 0);
  const rangeLabel = formatRange(filters.range);
  const visible = chosenColumns(raw.cols, SITE_TABLE_COLUMNS.map((c) => c.key), SITE_TABLE_DEFAULT_COLUMNS);
  const inView = databasesInScope(scope, catalog);
  // Sync now for the databases in view the viewer may sync (none for a viewer).
  const syncable = catalog.filter((d) => inView.includes(d.key) && canSyncDatabase(viewer, d.key));
  const owner = viewer.role === 'owner';

  return (
    <div className="stack report-page">
      <header className="page-head">
        <h1>Overview</h1>
        <p className="muted">
          {filters.range.preset === 'custom' ? 'Custom range' : PRESET_LABELS[filters.range.preset]}: {rangeLabel}
          {filters.databaseKeys || filters.sites ? ' · filtered' : owner ? ' · all databases and sites' : ' · your sites'}
        </p>
        <FreshnessLine list={freshness} />
        <div className="live-row">
          <LiveUpdates version={version} renderedAt={now} />
          <SyncInView databases={syncable.map((d) => ({ key: d.key, name: d.name }))} all={syncable.length === catalog.length} />
        </div>
      </header>

      <ReportFilters
        action="/"
        preset={filters.range.preset}
        from={filters.range.from}
        to={filters.range.to}
        compare={filters.compare}
        catalog={catalog}
        selectedDatabases={filters.databaseKeys}
        selectedSites={filters.sites?.map(formatSiteRef)}
        keep={{ sort: filters.sort, dir: filters.dir }}
      />

      {extent === null ? (
        <section className="card notice" aria-labelledby="nodata-title" data-testid="empty-state">
          <h2 id="nodata-title">No transactions synced yet</h2>
          <p>
            The dashboard fills in as soon as the first sync has fetched some days. Open the <Link href="/sync">Sync page</Link> to see its
            progress, or press <strong>Sync now</strong> there.
          </p>
        </section>
      ) : (
        <>
          <KpiCards totals={totals} timeZone={timeZone} />
          <DayCoverageNote counts={days.counts} total={days.days.length} />
          <DownloadLinks filters={filters} />

          {!hasData ? (
            <section className="card notice" aria-labelledby="empty-range-title" data-testid="empty-range">
              <h2 id="empty-range-title">{days.counts.future === days.days.length ? 'This range is in the future' : 'No transactions in this range'}</h2>
              <p>
                {days.counts.future === days.days.length
                  ? `Nothing can have happened from ${rangeLabel} yet.`
                  : `Nothing was recorded from ${rangeLabel}${filters.databaseKeys || filters.sites ? ' for the chosen databases and sites' : ''}.`}{' '}
                {owner && `Washboard has data from ${formatDay(extent.from)} to ${formatDay(extent.to)}.`}
              </p>
              <p>
                <Link href="/">Back to the default view</Link>
              </p>
            </section>
          ) : (
            <>
              <section className="card" aria-labelledby="databases-title">
                <h2 id="databases-title">By database</h2>
                <DatabaseSplit sites={sites} />
              </section>
              <div className="grid-2">
                <section className="card" aria-labelledby="by-site-title">
                  <h2 id="by-site-title">Revenue by site</h2>
                  <RevenueBySite sites={sites} />
                </section>
                <section className="card" aria-labelledby="daily-title">
                  <h2 id="daily-title">Daily revenue</h2>
                  <DailyRevenue days={days.days} sites={sites} points={points} />
                </section>
              </div>
              <section className="card" id="sites" aria-labelledby="sites-title">
                <h2 id="sites-title">Sites</h2>
                <SiteTable totals={totals} filters={filters} visible={visible} />
              </section>
            </>
          )}
        </>
      )}
    </div>
  );
}
