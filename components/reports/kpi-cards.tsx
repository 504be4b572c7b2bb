import Link from 'next/link';
import type { ReportTotals } from '@/db/queries/reports';
import type { Dataset } from '@/lib/measures';
import { NO_COMPARISON_TEXT, type NoComparisonReason } from '@/lib/reports/comparison';
import { formatChange, formatFigure, formatRange, formatTimeOfDay } from '@/lib/reports/format';
import { buildKpis, changeDirection, type Kpi } from '@/lib/reports/kpis';
import { COMPARISON_LABELS } from '@/lib/reports/range';
import { Term } from './ui';

/** "Compared with Oct 26 – Nov 24 (previous period), its last day up to 6:40 AM, like today's figures." */
function comparisonNote(totals: Pick<ReportTotals, 'previousRange' | 'compare' | 'comparison'>, timeZone: string): string {
  const { comparison, previousRange, compare } = totals;
  if (!comparison.comparable) return `No change shown: ${NO_COMPARISON_TEXT[comparison.reason!]}.`;
  const base = `Compared with ${formatRange(previousRange)} (${COMPARISON_LABELS[compare].toLowerCase()})`;
  return comparison.asOfMs === null
    ? `${base}.`
    : `${base}, its last day up to ${formatTimeOfDay(comparison.asOfMs, timeZone)}, like today’s figures.`;
}

/** The first reason, in reading order, among the datasets a figure reads. */
function reasonFor(datasets: readonly Dataset[], comparisons: ReportTotals['comparisons']): NoComparisonReason | null {
  const reasons = datasets.map((d) => comparisons[d].reason).filter((r): r is NoComparisonReason => r !== null);
  const order: NoComparisonReason[] = ['future', 'syncing', 'current-incomplete', 'earlier-incomplete', 'no-sites'];
  return order.find((r) => reasons.includes(r)) ?? null;
}

/** Words for a figure whose current value is not whole yet (its data is still coming in). */
const PARTIAL_VALUE: Partial<Record<NoComparisonReason, string>> = {
  syncing: 'still coming in',
  'current-incomplete': 'partial: not all in yet',
  future: 'partial: the range has not ended',
};

function Card({ k, reason }: { k: Kpi; reason: NoComparisonReason | null }) {
  const direction = changeDirection(k.change);
  const good = direction === 'up' || direction === 'down' ? ((direction === 'up') !== k.lowerIsBetter ? 'good' : 'bad') : '';
  const partial = reason ? PARTIAL_VALUE[reason] : undefined;
  return (
    <div className="card kpi" data-testid={`kpi-${k.id}`} data-partial={partial ? 'true' : 'false'}>
      <dt className="kpi-label">
        <Term id={`kpi-${k.id}`} label={k.label} definition={k.definition} />
      </dt>
      <dd className="kpi-value" data-testid={`kpi-${k.id}-value`} data-value={k.value ?? ''}>
        {formatFigure(k.format, k.value)}
        {partial && <span className="kpi-partial"> ({partial})</span>}
      </dd>
      <dd className={`kpi-change ${good}`} data-testid={`kpi-${k.id}-change`} data-change={k.change ?? ''}>
        {reason ? (
          <span className="muted">No comparison: {NO_COMPARISON_TEXT[reason]}</span>
        ) : k.change === null ? (
          <span className="muted">No comparison: nothing in the earlier period</span>
        ) : (
          <>
            <span aria-hidden="true">{direction === 'up' ? '▲ ' : direction === 'down' ? '▼ ' : ''}</span>
            {formatChange(k.change)}
            <span className="muted"> (was {formatFigure(k.format, k.previous)})</span>
          </>
        )}
      </dd>
    </div>
  );
}

/**
 * The headline figures, each with its change when the one comparison rule allows it for every
 * dataset the figure reads, else the reason in the same words as the site table; a figure whose
 * data is not all in says so beside its value. Test hooks: `kpi-<id>` (card, `data-partial`),
 * `kpi-<id>-value` (with `data-value`: cents, hundredths, a ratio or a count), `kpi-<id>-change`,
 * `kpi-comparison`.
 */
export function KpiCards({
  totals,
  timeZone,
}: {
  totals: Pick<ReportTotals, 'current' | 'previous' | 'previousRange' | 'compare' | 'comparison' | 'comparisons'>;
  /** The reporting zone, for "up to 6:40 AM". */
  timeZone: string;
}) {
  const { current, previous, comparisons } = totals;
  const kpis = buildKpis(current, previous, (datasets) => datasets.every((d) => comparisons[d].comparable));
  const carWash = kpis.slice(0, 6);
  const sales = kpis.slice(6);
  return (
    <section aria-labelledby="kpis-title" className="stack-sm kpi-section">
      <div className="section-head">
        <h2 id="kpis-title">Key figures</h2>
        <p className="muted small" data-testid="kpi-comparison" data-comparable={totals.comparison.comparable}>
          {comparisonNote(totals, timeZone)}
        </p>
        <p className="small">
          <Link href="/how-we-count">How we count</Link>
        </p>
      </div>
      <dl className="kpis" aria-label="Revenue and car-wash figures">
        {carWash.map((k) => (
          <Card key={k.id} k={k} reason={reasonFor(k.datasets, comparisons)} />
        ))}
      </dl>
      <dl className="kpis kpis-secondary" aria-label="Sales figures">
        {sales.map((k) => (
          <Card key={k.id} k={k} reason={reasonFor(k.datasets, comparisons)} />
        ))}
      </dl>
    </section>
  );
}
