import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { DemoSignIn } from '@/components/auth/demo-sign-in';
import { LoginForm } from '@/components/auth/login-form';
import styles from '@/components/auth/auth.module.css';
import { countUsers } from '@/db/queries/users';
import { safeNextPath } from '@/lib/auth/redirect';
import { FIRST_OWNER_COMMAND } from '@/lib/auth/startup';
import { getViewer } from '@/lib/auth/viewer';
import { getConfig } from '@/lib/env';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  const back = safeNextPath(Array.isArray(next) ? next[0] : next);
  if (await getViewer()) redirect(back);
  const demo = getConfig().mode === 'demo';
  const noAccounts = (await countUsers()) === 0;

  return (
    <div className={styles.panel}>
      <h1>Sign in</h1>
      {noAccounts && !demo && (
        <section className="card notice" aria-labelledby="first-owner-title" data-testid="first-owner">
          <h2 id="first-owner-title">No account yet</h2>
          <p>Create the first owner on the server where Washboard runs, in its folder:</p>
          <code className={styles.command}>{FIRST_OWNER_COMMAND}</code>
          <p className="small muted">It asks for a password twice. The owner then invites everyone else from Users.</p>
        </section>
      )}
      <section className="card" aria-label="Account sign-in">
        <LoginForm next={back} />
      </section>
      {demo && (
        <section className="card">
          <DemoSignIn next={back} />
        </section>
      )}
    </div>
  );
}
