/**
 * What the audit log records (issue 12): who, when, from which address. Owners read it at
 * /settings/audit. Writing never breaks the action it records: a failure is logged with its cause.
 */
import { insertAuditEntry } from '@/db/queries/audit';

export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'sync-now',
  'export',
  'user-added',
  'user-invited',
  'user-changed',
  'user-removed',
  'password-set',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_LABELS: Record<AuditAction, string> = {
  'sign-in': 'Signed in',
  'sign-in-failed': 'Failed sign-in',
  'sign-out': 'Signed out',
  'sync-now': 'Sync now',
  export: 'Export',
  'user-added': 'User added',
  'user-invited': 'User invited',
  'user-changed': 'User changed',
  'user-removed': 'User removed',
  'password-set': 'Password set',
};

/** Who acted: a signed-in user, the users CLI, or someone unknown (a failed sign-in). */
export type AuditActor = { userId: string; email: string } | { cli: true } | { email: string; userId?: undefined };

export const CLI_ACTOR = 'command line';

export async function recordAudit({
  actor,
  action,
  detail,
  address = null,
  at = Date.now(),
}: {
  actor: AuditActor;
  action: AuditAction;
  detail: string;
  address?: string | null;
  at?: number;
}): Promise<void> {
  try {
    await insertAuditEntry({
      at,
      actorUserId: 'cli' in actor ? null : (actor.userId ?? null),
      actorEmail: 'cli' in actor ? CLI_ACTOR : actor.email,
      action,
      detail,
      address,
    });
  } catch (error) {
    console.error(new Error(`The audit log could not record "${action}"`, { cause: error }));
  }
}
