'use client';

import { useActionState, useEffect } from 'react';
import { syncNow, type SyncNowState } from '@/app/actions';

/**
 * One "Sync now" (or "Sync all") form. While the database is syncing the button shows the run's
 * progress; pressing it then joins that run instead of starting a second one.
 */
export function SyncButton({
  database,
  label,
  progress,
  onSubmitted,
}: {
  database: string;
  label: 'Sync now' | 'Sync all';
  /** 0-100 while a run is going. */
  progress: number | null;
  onSubmitted: () => void;
}) {
  const [state, action, pending] = useActionState<SyncNowState, FormData>(syncNow, null);
  useEffect(() => {
    if (state) onSubmitted();
  }, [state, onSubmitted]);
  const busy = pending || progress !== null;
  return (
    <form action={action} className="sync-form">
      <input type="hidden" name="database" value={database} />
      <button type="submit" aria-label={label} aria-busy={busy} className={busy ? 'syncing' : undefined}>
        {label}
        {progress !== null ? <span className="button-progress"> · {progress}%</span> : pending ? <span className="button-progress"> · starting…</span> : null}
      </button>
      {state && (
        <p role="status" className={state.ok ? 'muted' : 'form-error'}>
          {state.message}
        </p>
      )}
    </form>
  );
}
