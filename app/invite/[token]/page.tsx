import type { Metadata } from 'next';
import Link from 'next/link';
import { InvitationForm } from '@/components/auth/invitation-form';
import styles from '@/components/auth/auth.module.css';
import { getInvitation } from '@/lib/auth/users';

export const metadata: Metadata = { title: 'Set your password', referrer: 'no-referrer' };
export const dynamic = 'force-dynamic';

/** The one-time link an owner copied from Users: works without a session, once, for 7 days. */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = /^[A-Za-z0-9_-]{20,200}$/.test(token) ? await getInvitation(token) : null;
  return (
    <div className={styles.panel}>
      <h1>Set your password</h1>
      {invitation ? (
        <section className="card">
          <InvitationForm token={token} email={invitation.email} />
        </section>
      ) : (
        <section className="card notice error" role="alert">
          <p>This invitation link has expired or was already used. Ask an owner of Washboard for a new one.</p>
          <p>
            <Link href="/login">Go to the sign-in page</Link>
          </p>
        </section>
      )}
    </div>
  );
}
