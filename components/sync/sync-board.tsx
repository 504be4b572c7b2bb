'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { DatabaseSyncStatus, SyncRunView, SyncStatus } from '@/lib/server/sync-status';
import { API_RATE_LIMIT } from '@/lib/sonnys/constants';
import { describeRemaining, formatAgo, formatDuration, formatNumber, plural, TRIGGER_LABELS } from './format';
import { SyncButton } from './sync-button';

const STATUS_KEY = ['sync-status'];

async function fetchStatus(): Promise<SyncStatus> {
  const response = await fetch('/api/sync/status', { cache: 'no-store' });
  if (!response.ok) throw new Error('The sync status is not available right now.');
  return (await response.json()) as SyncStatus;
}

/** Live gauges and progress: every second while a sync runs, every few seconds otherwise. */
export function SyncBoard({ initial }: { initial: SyncStatus }) {
  const queryClient = useQueryClient();
  const { data, error } = useQuery({
    queryKey: STATUS_KEY,
    queryFn: fetchStatus,
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.databases.some((d) => d.running) ? 1000 : 4000),
    refetchIntervalInBackground: false,
  });
  const refresh = useCallback(() => void queryClient.invalidateQueries({ queryKey: STATUS_KEY }), [queryClient]);
  const anyRunning = data.databases.some((d) => d.running);
  const overall = anyRunning ? overallProgress(data.databases) : null;

  return (
    <div className="stack">
      <div className="sync-toolbar">
        <p className="muted">
          {data.mode === 'demo'
            ? `Demo mode: the databases below are served by the embedded simulator, with ${
                data.databases[0]?.gauge.limit === API_RATE_LIMIT.limit && data.databases[0]?.gauge.windowMs === API_RATE_LIMIT.windowMs ? 'the real' : 'a shrunken'
              } throttle. `
            : ''}
          Sonny’s allows each database {data.databases[0]?.gauge.limit ?? API_RATE_LIMIT.limit} requests every{' '}
          {formatDuration(data.databases[0]?.gauge.windowMs ?? API_RATE_LIMIT.windowMs)}; Washboard spends them as fully as it can without ever going over.
        </p>
        <SyncButton database="all" label="Sync all" progress={overall} onSubmitted={refresh} />
      </div>
      {error && (
        <p className="card notice error" role="alert">
          {error.message} Showing the last known status.
        </p>
      )}
      <div className="grid">
        {data.databases.map((d) => (
          <DatabaseCard key={d.key} status={d} now={data.now} onSubmitted={refresh} />
        ))}
      </div>
    </div>
  );
}

function percent(run: SyncRunView): number {
  if (run.plannedRequests <= 0) return 0;
  return Math.min(99, Math.floor((run.doneRequests / run.plannedRequests) * 100));
}

function overallProgress(databases: DatabaseSyncStatus[]): number {
  const runs = databases.map((d) => d.running).filter((r): r is SyncRunView => r !== null);
  const planned = runs.reduce((n, r) => n + r.plannedRequests, 0);
  const done = runs.reduce((n, r) => n + r.doneRequests, 0);
  return planned ? Math.min(99, Math.floor((done / planned) * 100)) : 0;
}

function DatabaseCard({ status, now, onSubmitted }: { status: DatabaseSyncStatus; now: number; onSubmitted: () => void }) {
  const { gauge, running } = status;
  const headingId = `sync-${status.key}`;
  const fill = Math.min(100, Math.round((gauge.used / gauge.limit) * 100));
  const left = Math.max(0, gauge.limit - gauge.used);
  const queued = gauge.queued.interactive + gauge.queued.background;
  const remaining = running ? describeRemaining(Math.max(0, running.plannedRequests - running.doneRequests), gauge) : null;
  return (
    <section className="card sync-card" aria-labelledby={headingId} data-testid={`sync-card-${status.key}`}>
      <div className="sync-card-head">
        <h2 id={headingId}>{status.name}</h2>
        <SyncButton database={status.key} label="Sync now" progress={running ? percent(running) : null} onSubmitted={onSubmitted} describedBy={headingId} />
      </div>

      <div className="gauge">
        <div className="gauge-label">
          <span id={`${headingId}-gauge`}>Requests used in this window</span>
          <strong data-testid={`gauge-used-${status.key}`}>
            {formatNumber(gauge.used)} of {formatNumber(gauge.limit)}
          </strong>
        </div>
        <div
          className="gauge-track"
          role="meter"
          aria-labelledby={`${headingId}-gauge`}
          aria-valuemin={0}
          aria-valuemax={gauge.limit}
          aria-valuenow={gauge.used}
          aria-valuetext={`${gauge.used} of ${gauge.limit} requests used in the current window`}
        >
          <div className={`gauge-fill${fill >= 100 ? ' full' : ''}`} style={{ width: `${fill}%` }} />
        </div>
        <p className="muted gauge-detail" data-testid={`gauge-detail-${status.key}`}>
          {gauge.blockedForMs !== null
            ? `Paused for ${formatDuration(gauge.blockedForMs)}: Sonny’s refused a request for going too fast, so Washboard waits until that window has surely ended.`
            : `${plural(left, 'request')} left in this window${gauge.resetsInMs !== null && left < gauge.limit ? `, refills in ${formatDuration(gauge.resetsInMs)}` : ''}.`}{' '}
          {gauge.inFlight > 0 && `${plural(gauge.inFlight, 'request')} on the way. `}
          {queued > 0 &&
            `${plural(queued, 'request')} waiting for the budget${gauge.queued.interactive > 0 ? ` (${formatNumber(gauge.queued.interactive)} for Sync now, which go first)` : ''}. `}
          {plural(gauge.requestsLastHour, 'request')} in the last hour; refused for going too fast in the last day:{' '}
          <span data-testid={`gauge-429-${status.key}`}>{formatNumber(gauge.rateLimitedLastDay)}</span>.
        </p>
      </div>

      {running ? (
        <div className="sync-progress" data-testid={`sync-progress-${status.key}`}>
          <label htmlFor={`${headingId}-progress`}>
            Syncing ({TRIGGER_LABELS[running.trigger] ?? running.trigger}): {formatNumber(running.doneRequests)} of about{' '}
            {plural(running.plannedRequests, 'request')}, {plural(running.rows, 'transaction')}
            {remaining?.waitingMs != null
              ? `; waiting ${formatDuration(remaining.waitingMs)} for the next window`
              : ''}
            {remaining?.leftMs != null ? `; about ${formatDuration(remaining.leftMs)} left` : remaining ? '; finishing' : ''}.
          </label>
          <progress id={`${headingId}-progress`} max={Math.max(1, running.plannedRequests)} value={running.doneRequests} />
        </div>
      ) : (
        <p className="muted" data-testid={`sync-freshness-${status.key}`}>
          {status.lastSucceededAt ? `Last synced ${formatAgo(status.lastSucceededAt, now)}.` : 'Not synced yet.'}
        </p>
      )}

      <h3 className="runs-title">Recent runs</h3>
      {status.recent.length === 0 ? (
        <p className="muted">No earlier runs.</p>
      ) : (
        <ol className="runs" data-testid={`sync-runs-${status.key}`}>
          {status.recent.map((r) => (
            <li key={r.id} className={`run run-${r.status}`}>
              <strong>{r.status === 'succeeded' ? 'Done' : r.status === 'failed' ? 'Failed' : 'Interrupted'}</strong>{' '}
              <span className="muted">
                {formatAgo(r.finishedAt ?? r.startedAt, now)}, {TRIGGER_LABELS[r.trigger] ?? r.trigger}
              </span>
              {r.message && <div>{r.message}</div>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
