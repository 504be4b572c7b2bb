'use client';

import { useActionState } from 'react';
import { signInAsDemo, type AuthFormState } from '@/app/login/actions';
import styles from './auth.module.css';

/** Demo mode's one-click sign-in: the owner sees both databases, the manager only WashU's Joliet. */
export function DemoSignIn({ next }: { next: string }) {
  const [state, action, pending] = useActionState<AuthFormState, FormData>(signInAsDemo, null);
  return (
    <form action={action} className={styles.demo} aria-labelledby="demo-title">
      <h2 id="demo-title">Demo</h2>
      <p className="muted">
        Washboard is running on its built-in simulator. Look around as the owner (every database and site) or as a manager of one site
        (WashU&apos;s Joliet).
      </p>
      <input type="hidden" name="next" value={next} />
      <p className={styles.demoButtons}>
        <button type="submit" name="account" value="owner" disabled={pending}>
          Sign in as demo owner
        </button>
        <button type="submit" name="account" value="manager" className="secondary" disabled={pending}>
          Sign in as demo manager
        </button>
      </p>
      {state && !state.ok && (
        <p role="alert" className={styles.error}>
          {state.message}
        </p>
      )}
    </form>
  );
}
