import { signOut } from '@/app/login/actions';
import { ROLE_LABELS, type Role } from '@/lib/auth/roles';
import styles from './auth.module.css';

/** The header's right end: who is signed in, as what, and a way out (a plain form: works without JavaScript). */
export function AccountMenu({ email, role }: { email: string; role: Role }) {
  return (
    <form action={signOut} className={styles.account} data-testid="account-menu">
      <span className={styles.who}>
        <span data-testid="signed-in-email">{email}</span> <span className={styles.role}>{ROLE_LABELS[role]}</span>
      </span>
      <button type="submit" className={styles.signOut}>
        Sign out
      </button>
    </form>
  );
}
