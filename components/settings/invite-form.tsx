'use client';

import { useActionState, useRef, useState } from 'react';
import { inviteUser, type UserFormState } from '@/app/settings/users/actions';
import styles from '@/components/auth/auth.module.css';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from '@/lib/auth/roles';
import { SitePicker, type PickerCatalog } from './site-picker';

/**
 * Invite by email with a role and sites. There is no mail server: the result is a one-time link
 * the owner copies and sends; the invitee sets a password there.
 */
export function InviteForm({ catalog }: { catalog: PickerCatalog }) {
  const [state, action, pending] = useActionState<UserFormState, FormData>(inviteUser, null);
  const [copied, setCopied] = useState(false);
  const linkRef = useRef<HTMLInputElement>(null);
  const copy = async () => {
    if (!state?.ok || !state.link) return;
    try {
      await navigator.clipboard.writeText(state.link);
      setCopied(true);
    } catch {
      // Clipboard refused (no permission, plain http): select the text so Ctrl+C works.
      linkRef.current?.select();
    }
  };
  return (
    <div className="stack-sm">
      <form action={action} className={styles.form} aria-labelledby="invite-title">
        <div className={styles.row}>
          <div className={styles.field}>
            <label htmlFor="invite-email">Email</label>
            <input id="invite-email" name="email" type="email" required autoComplete="off" />
          </div>
          <div className={styles.field}>
            <label htmlFor="invite-role">Role</label>
            <select id="invite-role" name="role" defaultValue="manager">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}: {ROLE_DESCRIPTIONS[r]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <fieldset className="card">
          <legend>Sites (managers and viewers)</legend>
          <SitePicker catalog={catalog} idPrefix="invite" />
        </fieldset>
        <p className={styles.message}>
          <button type="submit" disabled={pending}>
            Create invitation link
          </button>
        </p>
      </form>
      {state && (
        <div role="status" className={state.ok ? 'card notice' : `card notice error`} data-testid="invite-result">
          <p className={state.ok ? styles.message : styles.error}>{state.message}</p>
          {state.ok && state.link && (
            <div className={styles.linkBox}>
              <label htmlFor="invite-link" className="visually-hidden">
                Invitation link
              </label>
              <input id="invite-link" ref={linkRef} readOnly value={state.link} data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
              <button type="button" className="secondary" onClick={copy}>
                {copied ? 'Copied' : 'Copy link'}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
