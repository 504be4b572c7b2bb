'use server';

import { isAPIError } from 'better-auth/api';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { recordAudit } from '@/lib/auth/audit';
import { getAuth } from '@/lib/auth/config';
import { demoCredentials } from '@/lib/auth/demo';
import { PASSWORD_MAX_LENGTH } from '@/lib/auth/password';
import { safeNextPath } from '@/lib/auth/redirect';
import { clientAddress, isSecureRequest } from '@/lib/auth/request';
import { acceptInvitation as acceptInvitationFor, UserInputError } from '@/lib/auth/users';
import { getViewer } from '@/lib/auth/viewer';
import { getConfig } from '@/lib/env';

/** What the sign-in and invitation forms read back (useActionState); success redirects instead. */
export type AuthFormState = { ok: false; message: string; fieldErrors?: Record<string, string[] | undefined>; email?: string } | null;

const signInSchema = z.object({
  email: z.string().trim().min(1, { error: 'Enter your email address.' }).max(320, { error: 'That email address is too long.' }),
  password: z.string().min(1, { error: 'Enter your password.' }).max(PASSWORD_MAX_LENGTH, { error: 'That password is too long.' }),
  next: z.string().max(2048).optional(),
});

/** Better Auth's refusals as one sentence for the form (its own messages are for developers). */
function signInProblem(error: unknown): string {
  // Not `instanceof`: the bundle may hold more than one copy of the library's error class.
  if (isAPIError(error)) {
    if (error.statusCode === 429) return error.message; // the throttle's "Too many attempts; try again in N minutes."
    if (error.statusCode === 401) return 'The email or password is not right.';
    if (error.statusCode === 400) return 'Enter a valid email address, such as name@example.com.';
  }
  console.error(new Error('Sign-in failed unexpectedly', { cause: error }));
  return 'Signing in failed unexpectedly. Try again in a moment.';
}

/** Signs in through Better Auth (throttle and audit run in its hooks); the cookie is set by its nextCookies plugin. */
async function signInWith(email: string, password: string): Promise<string | null> {
  const requestHeaders = await headers();
  try {
    await (await getAuth({ secure: isSecureRequest(requestHeaders) })).api.signInEmail({ body: { email, password, rememberMe: true }, headers: requestHeaders });
    return null;
  } catch (error) {
    return signInProblem(error);
  }
}

export async function signIn(_previous: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const parsed = signInSchema.safeParse({
    email: formData.get('email') ?? '',
    password: formData.get('password') ?? '',
    next: formData.get('next') ?? undefined,
  });
  const email = String(formData.get('email') ?? '').slice(0, 320);
  if (!parsed.success) {
    return { ok: false, message: parsed.error.issues[0]!.message, fieldErrors: z.flattenError(parsed.error).fieldErrors, email };
  }
  const problem = await signInWith(parsed.data.email, parsed.data.password);
  if (problem) return { ok: false, message: problem, email };
  redirect(safeNextPath(parsed.data.next));
}

const demoSchema = z.object({ account: z.enum(['owner', 'manager']), next: z.string().max(2048).optional() });

/** The demo buttons: demo mode only, through the same sign-in (and throttle) as a password. */
export async function signInAsDemo(_previous: AuthFormState, formData: FormData): Promise<AuthFormState> {
  if (getConfig().mode !== 'demo') return { ok: false, message: 'Demo sign-in is only available in demo mode.' };
  const parsed = demoSchema.safeParse({ account: formData.get('account'), next: formData.get('next') ?? undefined });
  if (!parsed.success) return { ok: false, message: 'Choose the demo owner or the demo manager.' };
  const { email, password } = await demoCredentials(parsed.data.account);
  const problem = await signInWith(email, password);
  if (problem) return { ok: false, message: problem };
  redirect(safeNextPath(parsed.data.next));
}

/** Ends this browser's session (the row and the cookie) and records it. */
export async function signOut(): Promise<void> {
  const requestHeaders = await headers();
  const viewer = await getViewer();
  if (viewer) {
    try {
      await (await getAuth({ secure: isSecureRequest(requestHeaders) })).api.signOut({ headers: requestHeaders });
    } catch (error) {
      console.error(new Error('Sign-out failed', { cause: error }));
    }
    await recordAudit({ actor: viewer, action: 'sign-out', detail: 'Signed out.', address: clientAddress(requestHeaders) });
  }
  redirect('/login');
}

const invitationSchema = z
  .object({
    token: z.string().min(20).max(200),
    password: z.string().max(PASSWORD_MAX_LENGTH, { error: 'That password is too long.' }),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { error: 'The two passwords are not the same.', path: ['confirm'] });

/** An invited user sets their password through the one-time link, then is signed in. */
export async function acceptInvitation(_previous: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const parsed = invitationSchema.safeParse({
    token: formData.get('token') ?? '',
    password: formData.get('password') ?? '',
    confirm: formData.get('confirm') ?? '',
  });
  if (!parsed.success) {
    return { ok: false, message: parsed.error.issues[0]!.message, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  let invited: { userId: string; email: string };
  try {
    invited = await acceptInvitationFor(parsed.data.token, parsed.data.password);
  } catch (error) {
    if (error instanceof UserInputError) return { ok: false, message: error.message, fieldErrors: { password: [error.message] } };
    console.error(new Error('Accepting an invitation failed', { cause: error }));
    return { ok: false, message: 'The password could not be set. Try again in a moment.' };
  }
  await recordAudit({
    actor: invited,
    action: 'password-set',
    detail: 'Set a password through an invitation link.',
    address: clientAddress(await headers()),
  });
  const problem = await signInWith(invited.email, parsed.data.password);
  if (problem) return { ok: false, message: `Your password is set, but signing in failed: ${problem}` };
  redirect('/');
}
