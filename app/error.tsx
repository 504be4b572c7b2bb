'use client';

import Link from 'next/link';
import { useEffect } from 'react';

/** Unexpected failures: a plain sentence and two ways forward. Details stay in the server log. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="stack">
      <h1>Something went wrong</h1>
      <section className="card notice error" role="alert">
        <p>Washboard could not show this page. It may be a passing problem: try again, or go back to the overview.</p>
        {error.digest && <p className="muted small">Reference for support: {error.digest}</p>}
        <p className="actions">
          <button type="button" onClick={reset}>
            Try again
          </button>
          <Link className="button secondary" href="/">
            Back to the overview
          </Link>
        </p>
      </section>
    </div>
  );
}
