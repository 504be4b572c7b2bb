'use client';

import { useActionState } from 'react';
import { acceptInvitation, type AuthFormState } from '@/app/login/actions';
import { PASSWORD_MIN_LENGTH } from '@/lib/auth/password';
import styles from './auth.module.css';

/** An invited user chooses their password (twice), then lands on the overview signed in. */
export function InvitationForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState<AuthFormState, FormData>(acceptInvitation, null);
  const passwordError = state?.fieldErrors?.password?.[0];
  const confirmError = state?.fieldErrors?.confirm?.[0];
  return (
    <form action={action} className={styles.form}>
      <input type="hidden" name="token" value={token} />
      <p className={styles.message}>
        Account: <strong data-testid="invited-email">{email}</strong>
      </p>
      <div className={styles.field}>
        <label htmlFor="invite-password">Password</label>
        <input
          id="invite-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          aria-describedby="invite-password-hint"
          aria-invalid={passwordError ? true : undefined}
        />
        <p id="invite-password-hint" className="small muted">
          At least {PASSWORD_MIN_LENGTH} characters.
        </p>
      </div>
      <div className={styles.field}>
        <label htmlFor="invite-confirm">Confirm password</label>
        <input id="invite-confirm" name="confirm" type="password" autoComplete="new-password" required aria-invalid={confirmError ? true : undefined} />
      </div>
      {state && !state.ok && (
        <p role="alert" className={styles.error}>
          {state.message}
        </p>
      )}
      <p className={styles.message}>
        <button type="submit" disabled={pending}>
          Set password and sign in
        </button>
      </p>
    </form>
  );
}
