import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { listDayStatuses } from '@/db/queries/reports';
import { listDayTransactions } from '@/db/queries/transactions';
import { ScrollArea } from '@/components/reports/ui';
import { DAY_STATE_LABELS } from '@/lib/reports/comparison';
import { isCalendarDay } from '@/lib/calendar';
import { filtersToSearchParams } from '@/lib/reports/filters';
import { formatCount, formatDay, formatMoney, formatTimeOfDay, formatWeekday } from '@/lib/reports/format';
import { siteFromPath, sitePath, siteToday } from '../../site-path';

export const dynamic = 'force-dynamic';

type Params = Promise<{ database: string; code: string; day: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const PAGE_SIZE = 100;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { day, ...path } = await params;
  const site = await siteFromPath(path);
  return { title: site && isCalendarDay(day) ? `${site.name}, ${formatDay(day)}` : 'Not found' };
}

/**
 * A site-day's transactions, every status, in time order, a hundred a page: the drill-down from a
 * day of the site's table, with the same transactions CSV for the day. Test hooks: `day-tx-table`,
 * `day-tx-row`, `day-state`.
 */
export default async function SiteDayPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { day, ...path } = await params;
  const site = await siteFromPath(path);
  if (!site || !isCalendarDay(day)) notFound();
  const raw = await searchParams;
  const requested = Number(Array.isArray(raw.page) ? raw.page[0] : raw.page);
  const page = Number.isSafeInteger(requested) && requested > 0 ? requested : 1;
  const ref = { databaseKey: site.databaseKey, code: site.code };
  const today = siteToday(site);
  const [list, statuses] = await Promise.all([
    listDayTransactions({ ...ref, day, page, pageSize: PAGE_SIZE }),
    listDayStatuses({ scope: { from: day, to: day, sites: [ref] }, today }),
  ]);
  const status = statuses.days[0]!;
  const pages = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
  const base = `${sitePath(site)}/days/${day}`;
  const csv = `/api/reports/transactions?${filtersToSearchParams({ range: { from: day, to: day, preset: 'custom', days: 1 }, sites: [ref] })}`;
  const first = (list.page - 1) * PAGE_SIZE + 1;

  return (
    <div className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb small">
        <Link href="/">Overview</Link> <span aria-hidden="true">›</span>{' '}
        <Link href={`${sitePath(site)}?${filtersToSearchParams({ range: { from: day, to: day, preset: 'custom', days: 1 } })}`}>{site.name}</Link>{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">{formatDay(day)}</span>
      </nav>
      <header className="page-head">
        <h1>
          {site.name} · {formatWeekday(day)} {formatDay(day)}
        </h1>
        <p className="muted" data-testid="day-state" data-state={status.state}>
          {DAY_STATE_LABELS[status.state]}
          {status.state === 'partial' && status.asOfMs !== null && ` as of ${formatTimeOfDay(status.asOfMs, site.effectiveTimezone)}: more may still come in`}
          {status.state === 'unsynced' && ': no sync has fetched this day yet'}
          {' · '}
          {formatCount(list.total)} {list.total === 1 ? 'transaction' : 'transactions'} of every status · times in {site.effectiveTimezone}
        </p>
      </header>
      <p className="downloads">
        <a className="button secondary" href={csv} download data-testid="download-day-transactions">
          Download this day as CSV
        </a>
      </p>

      {list.total === 0 ? (
        <p className="card notice">No transactions are stored for this day.</p>
      ) : (
        <section className="card stack-sm" aria-labelledby="tx-title">
          <h2 id="tx-title">
            Transactions {formatCount(first)} to {formatCount(first + list.rows.length - 1)} of {formatCount(list.total)}
          </h2>
          <ScrollArea label="Transactions of the day" className="stackable">
            <table data-testid="day-tx-table">
              <caption className="visually-hidden">Transactions in time order</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Transaction</th>
                  <th scope="col" className="num">Amount</th>
                  <th scope="col">Status</th>
                  <th scope="col">Membership</th>
                  <th scope="col">Car washed</th>
                </tr>
              </thead>
              <tbody>
                {list.rows.map((t) => (
                  <tr key={t.transId} data-testid="day-tx-row" data-trans-id={t.transId}>
                    <th scope="row" data-label="Time">{formatTimeOfDay(t.occurredUnix * 1000, site.effectiveTimezone)}</th>
                    <td data-label="Transaction">
                      {t.transNumber ?? '—'} <span className="muted small">{t.transId}</span>
                    </td>
                    <td className="num" data-col="amount" data-label="Amount" data-value={t.totalCents}>
                      {formatMoney(t.totalCents)}
                    </td>
                    <td data-label="Status" className={t.status === 'Completed' ? undefined : 'state-flag'}>
                      {t.status}
                    </td>
                    <td data-label="Membership" data-col="membership">
                      {t.isPlanRedemption
                        ? 'Member wash (redemption)'
                        : t.isPlanSale
                          ? t.isNewMembership === null
                            ? 'Plan sale (not checked yet)'
                            : t.isNewMembership
                              ? 'New membership'
                              : 'Plan sale (upgrade or switch)'
                          : '—'}
                    </td>
                    <td data-label="Car washed" data-col="wash" data-value={t.isWash === null ? '' : String(t.isWash)}>
                      {t.isWash === null ? <span className="muted">not known yet</span> : t.isWash ? 'Yes' : 'No'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
          {pages > 1 && (
            <nav aria-label="Pages" className="pager">
              {list.page > 1 ? <Link href={`${base}?page=${list.page - 1}`}>← Earlier</Link> : <span />}
              <span className="muted">
                Page {formatCount(list.page)} of {formatCount(pages)}
              </span>
              {list.page < pages ? <Link href={`${base}?page=${list.page + 1}`}>Later →</Link> : <span />}
            </nav>
          )}
        </section>
      )}
    </div>
  );
}
