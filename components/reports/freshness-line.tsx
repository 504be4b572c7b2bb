import Link from 'next/link';
import type { DatabaseFreshness } from '@/db/queries/freshness';
import { formatAgo, formatDayShort } from '@/lib/reports/format';

/** Capitalised when it opens the line (one database, no name before it). */
const sentence = (opens: boolean, text: string) => (opens ? text.charAt(0).toUpperCase() + text.slice(1) : text);

/**
 * "WashU: synced 3 minutes ago; complete through Nov 22." for each database in view, so nobody
 * mistakes a half-synced day for a slow one. Test hooks: `freshness`, `freshness-<key>`.
 */
export function FreshnessLine({ list }: { list: DatabaseFreshness[] }) {
  if (list.length === 0) return null;
  return (
    <p className="freshness small" data-testid="freshness">
      {list.map((f, i) => (
        <span key={f.databaseKey} data-testid={`freshness-${f.databaseKey}`}>
          {i > 0 && <span aria-hidden="true"> · </span>}
          {list.length > 1 && <strong>{f.databaseName}: </strong>}
          {sentence(list.length === 1, f.lastSyncedAt == null ? (f.syncing ? 'first sync in progress' : 'not synced yet') : `synced ${formatAgo(f.lastSyncedAt)}${f.syncing ? ', syncing now' : ''}`)}
          {'; '}
          {f.completeThrough ? `complete through ${formatDayShort(f.completeThrough)}` : 'no complete day yet'}
          {'; '}
          <span data-testid={`freshness-kpis-${f.databaseKey}`}>
            {f.kpiCompleteThrough ? `cars, members and labor complete through ${formatDayShort(f.kpiCompleteThrough)}` : 'cars, members and labor not complete for any day yet'}
          </span>
        </span>
      ))}
      {'. '}
      <Link href="/sync">Sync status</Link>
    </p>
  );
}
