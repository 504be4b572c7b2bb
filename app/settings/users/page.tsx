import type { Metadata } from 'next';
import styles from '@/components/auth/auth.module.css';
import { InviteForm } from '@/components/settings/invite-form';
import { ChangeUserForm, RemoveUserForm } from '@/components/settings/user-forms';
import { listDatabasesWithSites } from '@/db/queries/databases';
import { listUsers } from '@/db/queries/users';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { formatSiteList } from '@/lib/auth/users';
import { requireOwner } from '@/lib/auth/viewer';
import { formatAgo } from '@/lib/reports/format';

export const metadata: Metadata = { title: 'Users' };
export const dynamic = 'force-dynamic';

/** Owners only (404 for anyone else): invite, change and remove users. */
export default async function UsersPage() {
  const viewer = await requireOwner();
  const [catalog, users] = await Promise.all([listDatabasesWithSites(), listUsers()]);
  const picker = catalog.map((d) => ({ key: d.key, name: d.name, sites: d.sites.map((s) => ({ code: s.code, name: s.name })) }));

  return (
    <div className="stack">
      <header className="page-head">
        <h1>Users</h1>
        <p className="muted">Owners see everything. Managers and viewers see only their sites; managers may also press Sync now for them.</p>
      </header>

      <section className="card" aria-labelledby="invite-title">
        <h2 id="invite-title">Invite a user</h2>
        <InviteForm catalog={picker} />
      </section>

      <section className="card" aria-labelledby="users-title">
        <h2 id="users-title">Everyone with access</h2>
        <div className="table-scroll">
          <table className={styles.users} data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Sites</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.userId} data-testid={`user-${u.email}`}>
                  <th scope="row">
                    {u.email} {u.isDemo && <span className={styles.badge}>demo</span>}
                  </th>
                  <td>{ROLE_LABELS[u.role]}</td>
                  <td>{u.role === 'owner' ? 'All' : formatSiteList(u.sites) || 'None'}</td>
                  <td>
                    {u.hasPassword
                      ? u.lastSeenAt
                        ? `Active, last seen ${formatAgo(u.lastSeenAt)}`
                        : 'Has not signed in yet'
                      : u.invitationExpiresAt
                        ? 'Invited: has not set a password yet'
                        : 'Invitation expired: invite again'}
                  </td>
                  <td>
                    {u.userId === viewer.userId ? (
                      <span className="small muted">You</span>
                    ) : (
                      <div className="stack-sm">
                        <details className={styles.edit}>
                          <summary>Change role or sites</summary>
                          <ChangeUserForm
                            userId={u.userId}
                            email={u.email}
                            role={u.role}
                            sites={u.sites.map((s) => `${s.databaseKey}:${s.code}`)}
                            catalog={picker}
                          />
                        </details>
                        <RemoveUserForm userId={u.userId} email={u.email} />
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
