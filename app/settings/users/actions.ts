'use server';

import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { recordAudit } from '@/lib/auth/audit';
import { clientAddress } from '@/lib/auth/request';
import { ROLE_LABELS, roleSchema } from '@/lib/auth/roles';
import { changeUserAccess, formatSiteList, inviteUser as inviteUserFor, removeUser as removeUserFor, UserInputError } from '@/lib/auth/users';
import { getViewer, type Viewer } from '@/lib/auth/viewer';
import { getUserAccess } from '@/db/queries/users';
import { parseSiteRef } from '@/lib/reports/filters';
import type { SiteRef } from '@/lib/reports/scope';

/** What the user forms read back (useActionState). */
export type UserFormState =
  | { ok: true; message: string; link?: string; email?: string }
  | { ok: false; message: string; fieldErrors?: Record<string, string[] | undefined> }
  | null;

const NOT_ALLOWED: UserFormState = { ok: false, message: 'Only an owner can manage users; sign in as an owner.' };

/** Sites arrive as repeated `site=database:CODE` checkboxes (the report filters' notation). */
const sitesField = z.array(z.string().max(200)).transform((values, ctx) => {
  const sites: SiteRef[] = [];
  for (const value of values) {
    const ref = parseSiteRef(value);
    if (!ref) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a site.` });
      return z.NEVER;
    }
    sites.push(ref);
  }
  return sites;
});

const inviteSchema = z.object({ email: z.string().max(320), role: roleSchema, sites: sitesField });
const changeSchema = z.object({ userId: z.string().min(1).max(100), role: roleSchema, sites: sitesField });
const removeSchema = z.object({ userId: z.string().min(1).max(100) });

/** Authenticates and authorizes (owners only) before anything else, as every action must. */
async function owner(): Promise<Viewer | null> {
  const viewer = await getViewer();
  return viewer?.role === 'owner' ? viewer : null;
}

function refused(error: unknown, what: string): UserFormState {
  if (error instanceof UserInputError) return { ok: false, message: error.message };
  console.error(new Error(`${what} failed`, { cause: error }));
  return { ok: false, message: `${what} failed unexpectedly. Try again in a moment.` };
}

/** An owner sees every site: boxes left ticked when the role was switched to owner do not count. */
function sitesFor({ role, sites }: { role: z.infer<typeof roleSchema>; sites: SiteRef[] }): SiteRef[] {
  return role === 'owner' ? [] : sites;
}

function describeAccess(role: z.infer<typeof roleSchema>, sites: readonly SiteRef[]): string {
  return role === 'owner' ? ROLE_LABELS.owner : `${ROLE_LABELS[role]} of ${formatSiteList(sites)}`;
}

/** The link's origin as the owner's browser reached Washboard (behind a proxy: its forwarded host). */
async function origin(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  const proto = h.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  return `${proto}://${host}`;
}

export async function inviteUser(_previous: UserFormState, formData: FormData): Promise<UserFormState> {
  const viewer = await owner();
  if (!viewer) return NOT_ALLOWED;
  const parsed = inviteSchema.safeParse({ email: formData.get('email') ?? '', role: formData.get('role'), sites: formData.getAll('site') });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]!.message, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  let invitation: Awaited<ReturnType<typeof inviteUserFor>>;
  try {
    invitation = await inviteUserFor({ ...parsed.data, sites: sitesFor(parsed.data), createdBy: viewer.userId });
  } catch (error) {
    return refused(error, 'The invitation');
  }
  await recordAudit({
    actor: viewer,
    action: 'user-invited',
    detail: `Invited ${invitation.email} as ${describeAccess(parsed.data.role, sitesFor(parsed.data))}.`,
    address: clientAddress(await headers()),
  });
  revalidatePath('/settings/users');
  return {
    ok: true,
    email: invitation.email,
    link: `${await origin()}/invite/${invitation.token}`,
    message: `Send this link to ${invitation.email}: it lets them set a password, once, within 7 days.`,
  };
}

export async function changeUser(_previous: UserFormState, formData: FormData): Promise<UserFormState> {
  const viewer = await owner();
  if (!viewer) return NOT_ALLOWED;
  const parsed = changeSchema.safeParse({ userId: formData.get('userId') ?? '', role: formData.get('role'), sites: formData.getAll('site') });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]!.message, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const before = await getUserAccess(parsed.data.userId);
  try {
    await changeUserAccess(parsed.data.userId, parsed.data.role, sitesFor(parsed.data));
  } catch (error) {
    return refused(error, 'The change');
  }
  const now = describeAccess(parsed.data.role, sitesFor(parsed.data));
  await recordAudit({
    actor: viewer,
    action: 'user-changed',
    detail: `${before?.email ?? 'A user'}: ${before ? `${describeAccess(before.role, before.sites)} → ` : ''}${now}.`,
    address: clientAddress(await headers()),
  });
  revalidatePath('/settings/users');
  return { ok: true, message: `Saved: ${before?.email ?? 'the user'} is now ${now}.` };
}

export async function removeUser(_previous: UserFormState, formData: FormData): Promise<UserFormState> {
  const viewer = await owner();
  if (!viewer) return NOT_ALLOWED;
  const parsed = removeSchema.safeParse({ userId: formData.get('userId') ?? '' });
  if (!parsed.success) return { ok: false, message: 'Choose a user to remove.' };
  if (parsed.data.userId === viewer.userId) return { ok: false, message: 'You cannot remove yourself; another owner can.' };
  let email: string;
  try {
    email = await removeUserFor(parsed.data.userId);
  } catch (error) {
    return refused(error, 'Removing the user');
  }
  await recordAudit({ actor: viewer, action: 'user-removed', detail: `Removed ${email}.`, address: clientAddress(await headers()) });
  revalidatePath('/settings/users');
  return { ok: true, message: `Removed ${email}; their sessions have ended.` };
}
