'use client';

import { useActionState } from 'react';
import { changeUser, removeUser, type UserFormState } from '@/app/settings/users/actions';
import styles from '@/components/auth/auth.module.css';
import { ROLE_LABELS, ROLES, type Role } from '@/lib/auth/roles';
import { SitePicker, type PickerCatalog } from './site-picker';

function Result({ state }: { state: UserFormState }) {
  if (!state) return null;
  return (
    <p role="status" className={state.ok ? 'small muted' : styles.error}>
      {state.message}
    </p>
  );
}

/** Change a user's role and sites (takes effect on their next request). */
export function ChangeUserForm({ userId, email, role, sites, catalog }: { userId: string; email: string; role: Role; sites: string[]; catalog: PickerCatalog }) {
  const [state, action, pending] = useActionState<UserFormState, FormData>(changeUser, null);
  const prefix = `user-${userId}`;
  return (
    <form action={action} className={styles.form} aria-label={`Change ${email}`}>
      <input type="hidden" name="userId" value={userId} />
      <div className={styles.field}>
        <label htmlFor={`${prefix}-role`}>Role</label>
        <select id={`${prefix}-role`} name="role" defaultValue={role}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
      <SitePicker catalog={catalog} selected={sites} idPrefix={prefix} />
      <p className={styles.message}>
        <button type="submit" disabled={pending}>
          Save changes
        </button>
      </p>
      <Result state={state} />
    </form>
  );
}

/** Remove a user: their sessions end at once. */
export function RemoveUserForm({ userId, email }: { userId: string; email: string }) {
  const [state, action, pending] = useActionState<UserFormState, FormData>(removeUser, null);
  return (
    <form action={action}>
      <input type="hidden" name="userId" value={userId} />
      <button type="submit" className="secondary" disabled={pending} aria-label={`Remove ${email}`}>
        Remove
      </button>
      <Result state={state} />
    </form>
  );
}
