'use client';

import { useActionState, useEffect, useState } from 'react';
import { syncNow, type SyncNowState } from '@/app/actions';

/**
 * One "Sync now" (or "Sync all") form. While the database is syncing, pressing it joins that run
 * instead of starting a second one. The button's name is its visible text; the progress beside it
 * is a polite live region that speaks in 10 % steps, so a screen reader hears the run move without
 * being flooded. The action's message lasts as long as the run it started.
 */
export function SyncButton({
  database,
  label,
  progress,
  onSubmitted,
  describedBy,
}: {
  database: string;
  label: string;
  /** 0-100 while a run is going, else null. */
  progress: number | null;
  onSubmitted: () => void;
  /** Id of the text naming what the button syncs, when the label alone does not. */
  describedBy?: string;
}) {
  const [state, action, pending] = useActionState<SyncNowState, FormData>(syncNow, null);
  // Which press's message to hide, and which press's run this button has seen going: derived from
  // the progress as it changes (React's "adjust state on a prop change" pattern, no effect).
  const [hiddenFor, setHiddenFor] = useState<SyncNowState>(null);
  const [seenFor, setSeenFor] = useState<SyncNowState>(null);
  const [lastProgress, setLastProgress] = useState(progress);
  if (progress !== lastProgress) {
    setLastProgress(progress);
    if (progress !== null && seenFor !== state) setSeenFor(state);
    if (progress === null && lastProgress !== null && state?.ok) setHiddenFor(state);
  }
  useEffect(() => {
    if (state) onSubmitted();
  }, [state, onSubmitted]);
  useEffect(() => {
    // A run can end before the page has seen it start: don't keep "started" up forever.
    if (!state?.ok || seenFor === state) return;
    const timer = setTimeout(() => setHiddenFor(state), 15_000);
    return () => clearTimeout(timer);
  }, [state, seenFor]);
  const showMessage = state !== null && hiddenFor !== state;

  const busy = pending || progress !== null;
  const step = progress === null ? null : Math.floor(progress / 10) * 10;
  return (
    <form action={action} className="sync-form">
      <input type="hidden" name="database" value={database} />
      <button type="submit" aria-busy={busy} aria-describedby={describedBy} className={busy ? 'syncing' : undefined}>
        {label}
      </button>
      <p className="sync-status small" aria-hidden="true">
        {pending ? 'Starting…' : progress !== null ? `Syncing: ${progress}% done` : ''}
      </p>
      {/* Said in 10 % steps: a screen reader hears the run move without hearing every request. */}
      <p role="status" className="visually-hidden">
        {pending ? 'Starting the sync' : step !== null ? `Syncing, ${step} percent done` : ''}
      </p>
      {state && showMessage && (
        <p className={state.ok ? 'muted small' : 'form-error small'} data-testid={`sync-message-${database}`}>
          {state.message}
        </p>
      )}
    </form>
  );
}
