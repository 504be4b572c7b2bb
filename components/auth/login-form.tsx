'use client';

import { useActionState } from 'react';
import { signIn, type AuthFormState } from '@/app/login/actions';
import styles from './auth.module.css';

/** Email and password. The password field empties after a refusal; the email stays. */
export function LoginForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<AuthFormState, FormData>(signIn, null);
  const emailError = state?.fieldErrors?.email?.[0];
  const passwordError = state?.fieldErrors?.password?.[0];
  return (
    <form action={action} className={styles.form} noValidate>
      <input type="hidden" name="next" value={next} />
      <div className={styles.field}>
        <label htmlFor="login-email">Email</label>
        <input
          id="login-email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state?.email ?? ''}
          aria-invalid={emailError ? true : undefined}
          aria-describedby={emailError ? 'login-email-error' : undefined}
        />
        {emailError && (
          <p id="login-email-error" className={styles.fieldError}>
            {emailError}
          </p>
        )}
      </div>
      <div className={styles.field}>
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={passwordError ? true : undefined}
          aria-describedby={passwordError ? 'login-password-error' : undefined}
        />
        {passwordError && (
          <p id="login-password-error" className={styles.fieldError}>
            {passwordError}
          </p>
        )}
      </div>
      {state && !state.ok && !state.fieldErrors && (
        <p role="alert" className={styles.error} data-testid="login-error">
          {state.message}
        </p>
      )}
      <p className={styles.message}>
        <button type="submit" disabled={pending}>
          Sign in
        </button>
      </p>
    </form>
  );
}
