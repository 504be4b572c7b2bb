import type { ReportTotals } from '@/db/queries/reports';
import { NO_COMPARISON_TEXT } from '@/lib/reports/comparison';
import { formatChange, formatCount, formatMoney, formatRange, formatTimeOfDay } from '@/lib/reports/format';
import { buildKpis, changeDirection, type Kpi } from '@/lib/reports/kpis';
import { COMPARISON_LABELS } from '@/lib/reports/range';
import { Term } from './ui';

const show = (k: Pick<Kpi, 'format'>, v: number | null) => (k.format === 'money' ? formatMoney(v) : formatCount(v));

/** "Compared with Oct 26 – Nov 24 (previous period), each up to 6:40 AM on its last day." */
function comparisonNote(totals: Pick<ReportTotals, 'previousRange' | 'compare' | 'comparison'>, timeZone: string): string {
  const { comparison, previousRange, compare } = totals;
  if (!comparison.comparable) return `No change shown: ${NO_COMPARISON_TEXT[comparison.reason!]}.`;
  const base = `Compared with ${formatRange(previousRange)} (${COMPARISON_LABELS[compare].toLowerCase()})`;
  return comparison.asOfMs === null
    ? `${base}.`
    : `${base}, its last day up to ${formatTimeOfDay(comparison.asOfMs, timeZone)}, like today’s figures.`;
}

/**
 * The headline figures, each with its change when the one comparison rule allows it, else the
 * reason in the same words as the site table. Test hooks: `kpi-<id>` (card), `kpi-<id>-value`
 * (with `data-value`: cents or a count), `kpi-<id>-change`, `kpi-comparison`.
 */
export function KpiCards({
  totals,
  timeZone,
}: {
  totals: Pick<ReportTotals, 'current' | 'previous' | 'previousRange' | 'compare' | 'comparison'>;
  /** The reporting zone, for "up to 6:40 AM". */
  timeZone: string;
}) {
  const { current, previous, comparison } = totals;
  const kpis = buildKpis(current, previous, comparison.comparable);
  return (
    <section aria-labelledby="kpis-title" className="stack-sm kpi-section">
      <div className="section-head">
        <h2 id="kpis-title">Key figures</h2>
        <p className="muted small" data-testid="kpi-comparison" data-comparable={comparison.comparable}>
          {comparisonNote(totals, timeZone)}
        </p>
      </div>
      <dl className="kpis">
        {kpis.map((k) => {
          const direction = changeDirection(k.change);
          const good = direction === 'up' || direction === 'down' ? ((direction === 'up') !== !!k.lowerIsBetter ? 'good' : 'bad') : '';
          return (
            <div key={k.id} className="card kpi" data-testid={`kpi-${k.id}`}>
              <dt className="kpi-label">
                <Term id={`kpi-${k.id}`} label={k.label} definition={k.definition} />
              </dt>
              <dd className="kpi-value" data-testid={`kpi-${k.id}-value`} data-value={k.value ?? ''}>
                {show(k, k.value)}
              </dd>
              <dd className={`kpi-change ${good}`} data-testid={`kpi-${k.id}-change`} data-change={k.change ?? ''}>
                {!comparison.comparable ? (
                  <span className="muted">No comparison: {NO_COMPARISON_TEXT[comparison.reason ?? 'no-sites']}</span>
                ) : k.change === null ? (
                  <span className="muted">No comparison: nothing in the earlier period</span>
                ) : (
                  <>
                    <span aria-hidden="true">{direction === 'up' ? '▲ ' : direction === 'down' ? '▼ ' : ''}</span>
                    {formatChange(k.change)}
                    <span className="muted"> (was {show(k, k.previous)})</span>
                  </>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
