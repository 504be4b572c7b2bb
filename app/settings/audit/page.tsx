import type { Metadata } from 'next';
import Link from 'next/link';
import styles from '@/components/auth/auth.module.css';
import { listAuditEntries } from '@/db/queries/audit';
import { getReportingTimeZone } from '@/db/queries/reports';
import { AUDIT_LABELS, type AuditAction } from '@/lib/auth/audit';
import { requireOwner } from '@/lib/auth/viewer';

export const metadata: Metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 50;

/** Owners only (404 for anyone else): who did what, when and from which address, newest first. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireOwner();
  const raw = (await searchParams).page;
  const requested = Number.parseInt(Array.isArray(raw) ? (raw[0] ?? '1') : (raw ?? '1'), 10);
  const page = Number.isFinite(requested) && requested >= 1 ? Math.min(requested, 1_000_000) : 1;
  const [{ entries, total }, timeZone] = await Promise.all([listAuditEntries({ page, pageSize: PAGE_SIZE }), getReportingTimeZone()]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const when = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'medium', timeZone });

  return (
    <div className="stack">
      <header className="page-head">
        <h1>Audit log</h1>
        <p className="muted">
          Sign-ins, failed sign-ins, sign-outs, Sync now, exports and user changes. Times in {timeZone}.
        </p>
      </header>
      <section className="card" aria-label="Audit entries">
        {entries.length === 0 ? (
          <p>{total === 0 ? 'Nothing has been recorded yet.' : 'There is no such page.'}</p>
        ) : (
          <div className="table-scroll">
            <table className={styles.users} data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Details</th>
                  <th scope="col">Address</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id}>
                    <td>{when.format(e.at)}</td>
                    <td>{e.actorEmail}</td>
                    <td>{AUDIT_LABELS[e.action as AuditAction] ?? e.action}</td>
                    <td>{e.detail}</td>
                    <td>{e.address ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className={styles.pager} aria-label="Audit log pages">
          {page > 1 && <Link href={`/settings/audit?page=${page - 1}`}>← Newer</Link>}
          <span className="small muted">
            Page {Math.min(page, pages)} of {pages} ({total.toLocaleString('en-US')} {total === 1 ? 'entry' : 'entries'})
          </span>
          {page < pages && <Link href={`/settings/audit?page=${page + 1}`}>Older →</Link>}
        </nav>
      </section>
    </div>
  );
}
