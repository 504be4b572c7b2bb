import Link from 'next/link';

/** A site the address names but Washboard does not have (or the viewer may not see): 404, one sentence. */
export default function SiteNotFound() {
  return (
    <div className="stack">
      <h1>Site not found</h1>
      <section className="card notice error" role="alert" aria-labelledby="problem-title" data-testid="report-problem">
        <h2 id="problem-title">This site is not in Washboard</h2>
        <p data-testid="report-problem-message">
          There is no site at this address. It may be a typo in the address, or the site has not been synced yet.
        </p>
        <p>
          <Link href="/">Back to the overview</Link>
        </p>
      </section>
    </div>
  );
}
