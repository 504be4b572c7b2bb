import { filtersToSearchParams, type ReportFilters } from '@/lib/reports/filters';

/** CSV downloads for exactly the filters on screen (the routes read the same parameters). */
export function DownloadLinks({ filters }: { filters: Pick<ReportFilters, 'range' | 'databaseKeys' | 'sites'> }) {
  const query = filtersToSearchParams({ range: filters.range, databaseKeys: filters.databaseKeys, sites: filters.sites }).toString();
  return (
    <p className="downloads">
      <a className="button secondary" href={`/api/reports/daily?${query}`} download data-testid="download-daily">
        Download CSV
      </a>{' '}
      <a className="button secondary" href={`/api/reports/transactions?${query}`} download data-testid="download-transactions">
        Download transactions CSV
      </a>
    </p>
  );
}
