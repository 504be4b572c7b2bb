import Link from 'next/link';

/** A problem with what the URL asks for: one sentence and a way back, never a stack trace. */
export function ReportProblem({ title, message, backHref = '/', backLabel = 'Back to the default view' }: {
  title: string;
  message: string;
  backHref?: string;
  backLabel?: string;
}) {
  return (
    <section className="card notice error" role="alert" aria-labelledby="problem-title" data-testid="report-problem">
      <h2 id="problem-title">{title}</h2>
      <p data-testid="report-problem-message">{message}</p>
      <p>
        <Link href={backHref}>{backLabel}</Link>
      </p>
    </section>
  );
}

/** "Show data": a chart's numbers as a table, for screen readers, keyboard users and anyone who wants them exact. */
export function ChartData({ caption, children, testId }: { caption: string; children: React.ReactNode; testId?: string }) {
  return (
    <details className="chart-data">
      <summary>Show data</summary>
      <ScrollArea label={caption}>
        <table data-testid={testId}>
          <caption className="visually-hidden">{caption}</caption>
          {children}
        </table>
      </ScrollArea>
    </details>
  );
}

/**
 * A table's horizontal scroll area. Focusable and named, so a keyboard user can reach and scroll
 * it (axe: scrollable-region-focusable) and a screen reader says what it holds.
 */
export function ScrollArea({ label, children, className }: { label: string; children: React.ReactNode; className?: string }) {
  return (
    <div className={`table-scroll${className ? ` ${className}` : ''}`} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/**
 * A figure's name with its definition on hover and on keyboard focus (a tooltip the name points to
 * with aria-describedby, so screen readers read it too).
 */
export function Term({ id, label, definition }: { id: string; label: string; definition: string }) {
  return (
    <span className="term">
      <span className="term-label" tabIndex={0} aria-describedby={`${id}-definition`}>
        {label}
      </span>
      <span role="tooltip" id={`${id}-definition`} className="term-tip">
        {definition}
      </span>
    </span>
  );
}

export function Skeleton({ label, height = 240 }: { label: string; height?: number }) {
  return (
    <div className="card skeleton" style={{ minHeight: height }} aria-busy="true" aria-live="polite">
      <span className="visually-hidden">Loading {label}…</span>
      <div className="skeleton-bar" style={{ width: '40%' }} />
      <div className="skeleton-bar" style={{ width: '85%' }} />
      <div className="skeleton-bar" style={{ width: '70%' }} />
    </div>
  );
}
