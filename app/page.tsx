import { listDatabasesWithSites } from '@/db/queries/databases';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const databases = await listDatabasesWithSites();

  return (
    <div className="stack">
      <h1>Sites</h1>
      {databases.length === 0 ? (
        <section className="card notice" aria-labelledby="empty-title">
          <h2 id="empty-title">No databases yet</h2>
          <p>
            Washboard has no Sonny&apos;s database to show. Set <code>SONNYS_DATABASES</code> and each
            database&apos;s API ID and key (see <code>.env.example</code>), or leave it unset to run the demo,
            then start the app again.
          </p>
        </section>
      ) : (
        <div className="grid">
          {databases.map((d) => (
            <section key={d.key} className="card" aria-label={d.name}>
              <h2>
                {d.name} {d.isDemo && <span className="muted">(demo)</span>}
              </h2>
              {d.sites.length === 0 ? (
                <p className="muted">No sites synced yet. The first sync lists them.</p>
              ) : (
                <ul>
                  {d.sites.map((s) => (
                    <li key={s.code}>
                      {s.code} · {s.name} <span className="muted">({s.timezone})</span>
                      {s.removed && <span className="muted"> · no longer listed</span>}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
