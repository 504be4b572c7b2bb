import { dayCount } from '@/lib/reports/days';
import { formatChange, formatCount, formatMoney, formatRange } from '@/lib/reports/format';
import { buildKpis, type Kpi } from '@/lib/reports/kpis';
import type { ReportTotals } from '@/db/queries/reports';
import type { ReportScope } from '@/lib/reports/scope';

const show = (k: Kpi, v: number | null) => (k.format === 'money' ? formatMoney(v) : formatCount(v));

// Fewer voids is the good direction; for everything else more is better.
const LOWER_IS_BETTER = new Set<Kpi['id']>(['voided']);

/**
 * The headline figures with their change against the previous period, left out while that period
 * is not fully synced (`totals.comparable`). Test hooks: `kpi-<id>` (card),
 * `kpi-<id>-value` (with `data-value`: cents or a count), `kpi-<id>-change`, `kpi-comparison`.
 */
export function KpiCards({
  scope,
  totals,
}: {
  scope: ReportScope;
  totals: Pick<ReportTotals, 'current' | 'previous' | 'previousRange' | 'comparable'>;
}) {
  const { current, previous, previousRange, comparable } = totals;
  const days = dayCount(scope.from, scope.to);
  const previousSpan = days === 1 ? 'previous day' : `previous ${days} days`;
  const kpis = buildKpis(current, previous).map((k) => (comparable ? k : { ...k, change: null }));
  return (
    <section aria-labelledby="kpis-title" className="stack-sm">
      <div className="section-head">
        <h2 id="kpis-title">Key figures</h2>
        <p className="muted small" data-testid="kpi-comparison">
          {comparable
            ? `Change against ${formatRange(previousRange)} (the ${previousSpan}).`
            : `No change shown: the ${previousSpan} (${formatRange(previousRange)}) ${days === 1 ? 'has' : 'have'} not all been synced yet.`}
        </p>
      </div>
      <ul className="kpis">
        {kpis.map((k) => {
          const direction = k.change == null || k.change === 0 ? 'flat' : k.change > 0 ? 'up' : 'down';
          const good = direction === 'flat' ? '' : (direction === 'up') !== LOWER_IS_BETTER.has(k.id) ? 'good' : 'bad';
          return (
            <li key={k.id} className="card kpi" data-testid={`kpi-${k.id}`} aria-labelledby={`kpi-${k.id}-label`} role="group">
              <span id={`kpi-${k.id}-label`} className="kpi-label">
                {k.label}
              </span>
              <span className="kpi-value" data-testid={`kpi-${k.id}-value`} data-value={k.value ?? ''}>
                {show(k, k.value)}
              </span>
              <span className={`kpi-change ${good}`} data-testid={`kpi-${k.id}-change`}>
                <span aria-hidden="true">{direction === 'up' ? '▲' : direction === 'down' ? '▼' : '•'} </span>
                {formatChange(k.change)}
                {comparable && <span className="muted"> (was {show(k, k.previous)})</span>}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
