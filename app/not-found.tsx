import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="stack">
      <h1>Page not found</h1>
      <section className="card notice" role="alert">
        <p>There is no page at this address. The link may be old or mistyped.</p>
        <p>
          <Link href="/">Back to the overview</Link>
        </p>
      </section>
    </div>
  );
}
