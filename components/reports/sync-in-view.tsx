'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { SyncStatus } from '@/lib/server/sync-status';
import { SyncButton } from '@/components/sync/sync-button';

async function fetchStatus(): Promise<SyncStatus> {
  const response = await fetch('/api/sync/status', { cache: 'no-store' });
  if (!response.ok) throw new Error('The sync status is not available right now.');
  return (await response.json()) as SyncStatus;
}

/**
 * "Sync now" for the databases a report shows: one button for all of them, or one per database
 * when only some are in view. Progress is polled only while something runs (the page itself
 * refreshes when the run's data lands). Test hook: `sync-in-view`.
 */
export function SyncInView({ databases, all }: { databases: { key: string; name: string }[]; all: boolean }) {
  const queryClient = useQueryClient();
  const [watching, setWatching] = useState(false);
  const { data } = useQuery({
    queryKey: ['sync-status'],
    queryFn: fetchStatus,
    enabled: watching,
    refetchInterval: (query) => (query.state.data?.databases.some((d) => d.running) ? 1000 : watching ? 2000 : false),
  });
  const refresh = useCallback(() => {
    setWatching(true);
    void queryClient.invalidateQueries({ queryKey: ['sync-status'] });
  }, [queryClient]);
  const progressOf = (keys: string[]): number | null => {
    const runs = (data?.databases ?? []).filter((d) => keys.includes(d.key) && d.running).map((d) => d.running!);
    if (!runs.length) return null;
    const planned = runs.reduce((n, r) => n + r.plannedRequests, 0);
    const done = runs.reduce((n, r) => n + r.doneRequests, 0);
    return planned ? Math.min(99, Math.floor((done / planned) * 100)) : 0;
  };
  if (databases.length === 0) return null;
  const buttons = all || databases.length === 1 ? [{ key: all ? 'all' : databases[0]!.key, label: 'Sync now', keys: databases.map((d) => d.key) }] : databases.map((d) => ({ key: d.key, label: `Sync ${d.name}`, keys: [d.key] }));
  return (
    <div className="sync-in-view" data-testid="sync-in-view">
      <span id="sync-in-view-what" className="visually-hidden">
        Syncs {databases.map((d) => d.name).join(' and ')} with Sonny’s now
      </span>
      {buttons.map((b) => (
        <SyncButton key={b.key} database={b.key} label={b.label} progress={progressOf(b.keys)} onSubmitted={refresh} describedBy="sync-in-view-what" />
      ))}
    </div>
  );
}
