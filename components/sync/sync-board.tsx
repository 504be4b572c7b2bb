'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { DatabaseSyncStatus, SyncRunView, SyncStatus } from '@/db/queries/sync';
import { formatAgo, formatDuration, TRIGGER_LABELS } from './format';
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
                data.databases[0]?.gauge.limit === 20 && data.databases[0]?.gauge.windowMs === 15_000 ? 'the real' : 'a shrunken'
              } throttle. `
            : ''}
          Each database has its own budget of {data.databases[0]?.gauge.limit ?? 20} requests per{' '}
          {formatDuration(data.databases[0]?.gauge.windowMs ?? 15_000)}.
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
  return (
    <section className="card sync-card" aria-labelledby={headingId} data-testid={`sync-card-${status.key}`}>
      <div className="sync-card-head">
        <h2 id={headingId}>{status.name}</h2>
        <SyncButton database={status.key} label="Sync now" progress={running ? percent(running) : null} onSubmitted={onSubmitted} />
      </div>

      <div className="gauge">
        <div className="gauge-label">
          <span id={`${headingId}-gauge`}>Rate-limit budget</span>
          <strong data-testid={`gauge-used-${status.key}`}>
            {gauge.used} of {gauge.limit}
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
        <p className="muted gauge-detail">
          {gauge.blockedForMs !== null
            ? `Paused for ${formatDuration(gauge.blockedForMs)} after a 429 from the API.`
            : gauge.resetsInMs !== null
              ? `Budget frees up in ${formatDuration(gauge.resetsInMs)}.`
              : 'Full budget available.'}{' '}
          {gauge.inFlight > 0 && `${gauge.inFlight} in flight. `}
          Queued: {gauge.queued.interactive} interactive, {gauge.queued.background} background. 429s in the last day:{' '}
          <span data-testid={`gauge-429-${status.key}`}>{gauge.rateLimitedLastDay}</span>. Requests in the last hour: {gauge.requestsLastHour}.
        </p>
      </div>

      {running ? (
        <div className="sync-progress" data-testid={`sync-progress-${status.key}`}>
          <label htmlFor={`${headingId}-progress`}>
            Syncing ({TRIGGER_LABELS[running.trigger] ?? running.trigger}): {running.doneRequests} of about {running.plannedRequests} requests,{' '}
            {running.rows.toLocaleString('en-US')} transactions
            {running.etaAt !== null && running.etaAt > now ? `, about ${formatDuration(running.etaAt - now)} left` : ''}.
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
