import type { DayState } from '@/lib/reports/comparison';
import { formatCount } from '@/lib/reports/format';

/**
 * One line under the figures saying which days of the range are not whole, so nobody reads a
 * partial day as a slow one. Nothing when every day is complete. Test hook: `range-before-data`
 * (with `data-<state>` counts).
 */
export function DayCoverageNote({ counts, total }: { counts: Record<DayState, number>; total: number }) {
  const parts = [
    counts.unsynced > 0 && `${formatCount(counts.unsynced)} of the ${formatCount(total)} days have not been synced for every site yet (their figures are missing, not zero)`,
    counts.syncing > 0 && `${formatCount(counts.syncing)} ${counts.syncing === 1 ? 'day is' : 'days are'} being synced right now`,
    counts.partial > 0 && `${formatCount(counts.partial)} ${counts.partial === 1 ? 'day is' : 'days are'} partial, still filling in (hatched in the chart)`,
    counts.future > 0 && `${formatCount(counts.future)} ${counts.future === 1 ? 'day is' : 'days are'} in the future`,
  ].filter(Boolean);
  if (!parts.length) return null;
  return (
    <p
      className="small muted coverage-note"
      data-testid="range-before-data"
      data-unsynced={counts.unsynced}
      data-partial={counts.partial}
      data-syncing={counts.syncing}
      data-future={counts.future}
    >
      {parts.join('; ')}.
    </p>
  );
}
