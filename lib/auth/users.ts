/**
 * Managing accounts: add, invite, change, remove, set a password. One set of rules for the users
 * CLI and the settings page, so both refuse the same things with the same sentence. Passwords are
 * hashed by Better Auth (its configured scrypt), and accounts are created through its adapter.
 *
 * Expected refusals are thrown as {@link UserInputError} with one sentence for the person; anything
 * else is unexpected.
 */
import crypto from 'node:crypto';
import { listKnownSites } from '@/db/queries/sites-known';
import {
  consumeInvitation,
  countOwners,
  createInvitation,
  deleteUser,
  deleteUserSessions,
  findInvitation,
  findUserIdByEmail,
  getUserAccess,
  hasCredential,
  setUserAccess,
} from '@/db/queries/users';
import type { SiteRef } from '@/lib/reports/scope';
import { getAuth } from './config';
import { emailSchema, passwordProblem } from './password';
import { roleHasSites, roleSchema, type Role } from './roles';

export class UserInputError extends Error {
  override name = 'UserInputError';
}

/** Invitation links work for 7 days, once. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;

export function parseEmail(value: unknown): string {
  const parsed = emailSchema.safeParse(value ?? '');
  if (!parsed.success) throw new UserInputError(parsed.error.issues[0]!.message);
  return parsed.data;
}

export function parseRole(value: unknown): Role {
  const parsed = roleSchema.safeParse(value);
  if (!parsed.success) throw new UserInputError(`"${String(value ?? '')}" is not a role: use owner, manager or viewer.`);
  return parsed.data;
}

/** `washu/JOLIET,icon/DENVER` (database key / site code) → site references, syntax only. */
export function parseSiteList(text: string): SiteRef[] {
  const sites: SiteRef[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const slash = item.indexOf('/');
    if (slash <= 0 || slash === item.length - 1) {
      throw new UserInputError(`"${item}" is not a site: write database/SITE, for example washu/JOLIET.`);
    }
    sites.push({ databaseKey: item.slice(0, slash).toLowerCase(), code: item.slice(slash + 1) });
  }
  return sites;
}

/**
 * The sites checked against those Washboard knows (listed by a sync, or the demo world's), and the
 * role's need for them: managers and viewers need at least one; owners have none (they see all).
 */
export async function checkSites(role: Role, sites: readonly SiteRef[]): Promise<SiteRef[]> {
  if (!roleHasSites(role)) {
    if (sites.length) throw new UserInputError('An owner sees every site: leave the sites out.');
    return [];
  }
  if (!sites.length) throw new UserInputError(`A ${role} needs at least one site, for example --sites washu/JOLIET.`);
  const known = await listKnownSites();
  const unique: SiteRef[] = [];
  for (const site of sites) {
    const database = known.find((d) => d.key === site.databaseKey);
    if (!database) {
      const keys = known.map((d) => d.key).join(', ');
      throw new UserInputError(`There is no database "${site.databaseKey}"${keys ? ` (known: ${keys})` : ''}.`);
    }
    if (!database.codes.includes(site.code)) {
      throw new UserInputError(
        database.codes.length
          ? `${database.name} has no site "${site.code}" (known: ${database.codes.join(', ')}).`
          : `${database.name} has no sites yet: run npm run sync first.`,
      );
    }
    if (!unique.some((s) => s.databaseKey === site.databaseKey && s.code === site.code)) unique.push(site);
  }
  return unique;
}

function checkPassword(password: string, email: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new UserInputError(problem);
}

async function storePassword(userId: string, password: string): Promise<void> {
  const context = await (await getAuth()).$context;
  const hash = await context.password.hash(password);
  if (await hasCredential(userId)) {
    await context.internalAdapter.updatePassword(userId, hash);
  } else {
    await context.internalAdapter.linkAccount({ userId, providerId: 'credential', accountId: userId, password: hash });
  }
}

async function createAccount(email: string, role: Role, sites: SiteRef[], isDemo: boolean): Promise<string> {
  if (await findUserIdByEmail(email)) throw new UserInputError(`There is already a user with the email ${email}.`);
  const context = await (await getAuth()).$context;
  const user = await context.internalAdapter.createUser({ email, name: email, role, isDemo }, { method: 'admin' });
  await setUserAccess(user.id, { role, sites });
  return user.id;
}

/** Adds a user who can sign in at once with `password` (the CLI, the demo users). */
export async function addUser(input: { email: string; role: Role; sites: readonly SiteRef[]; password: string; isDemo?: boolean }): Promise<string> {
  const email = parseEmail(input.email);
  const sites = await checkSites(input.role, input.sites);
  checkPassword(input.password, email);
  const userId = await createAccount(email, input.role, sites, input.isDemo ?? false);
  await storePassword(userId, input.password);
  return userId;
}

/**
 * Creates the user or, when it exists, sets its role, sites and password: for accounts Washboard
 * itself owns (the demo users), whose sites are not checked (they may not be synced yet).
 */
export async function ensureAccount(input: { email: string; role: Role; sites: readonly SiteRef[]; password: string; isDemo: boolean }): Promise<string> {
  const email = parseEmail(input.email);
  let userId = await findUserIdByEmail(email);
  if (userId) await setUserAccess(userId, { role: input.role, sites: input.sites });
  else userId = await createAccount(email, input.role, [...input.sites], input.isDemo);
  await storePassword(userId, input.password);
  return userId;
}

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/**
 * Adds a user without a password and returns a one-time token for the link where they set one
 * (there is no mail server: the owner copies the link). Inviting an existing user who has not set a
 * password yet renews their link.
 */
export async function inviteUser(input: { email: string; role: Role; sites: readonly SiteRef[]; createdBy: string }, now = Date.now()) {
  const email = parseEmail(input.email);
  const sites = await checkSites(input.role, input.sites);
  let userId = await findUserIdByEmail(email);
  if (userId && (await hasCredential(userId))) throw new UserInputError(`There is already a user with the email ${email}.`);
  if (userId) await setUserAccess(userId, { role: input.role, sites });
  else userId = await createAccount(email, input.role, sites, false);
  const token = crypto.randomBytes(32).toString('base64url');
  await createInvitation({ tokenHash: hashToken(token), userId, createdBy: input.createdBy, createdAt: now, expiresAt: now + INVITATION_TTL_MS });
  return { userId, email, token, expiresAt: now + INVITATION_TTL_MS };
}

/** The invited email for a live token, or null (unknown, used or expired). */
export async function getInvitation(token: string): Promise<{ userId: string; email: string } | null> {
  return findInvitation(hashToken(token));
}

/** Sets the invited user's password and uses the link up; the caller signs them in. */
export async function acceptInvitation(token: string, password: string): Promise<{ userId: string; email: string }> {
  const invitation = await getInvitation(token);
  if (!invitation) throw new UserInputError('This invitation link has expired or was already used: ask an owner for a new one.');
  checkPassword(password, invitation.email);
  if (!(await consumeInvitation(hashToken(token)))) throw new UserInputError('This invitation link was already used: ask an owner for a new one.');
  await storePassword(invitation.userId, password);
  return invitation;
}

/** Sets a password (the CLI's set-password) and signs the user out everywhere. */
export async function setPassword(email: string, password: string): Promise<string> {
  const normalized = parseEmail(email);
  const userId = await findUserIdByEmail(normalized);
  if (!userId) throw new UserInputError(`There is no user with the email ${normalized}.`);
  checkPassword(password, normalized);
  await storePassword(userId, password);
  await deleteUserSessions(userId);
  return userId;
}

/** Whether removing or demoting this user would leave nobody able to manage users. */
async function isLastOwner(userId: string): Promise<boolean> {
  return (await getUserAccess(userId))?.role === 'owner' && (await countOwners()) <= 1;
}

/** Changes a user's role and sites; they take effect on the user's next request. */
export async function changeUserAccess(userId: string, role: Role, sites: readonly SiteRef[]): Promise<void> {
  const user = await getUserAccess(userId);
  if (!user) throw new UserInputError('That user no longer exists.');
  const checked = await checkSites(role, sites);
  if (role !== 'owner' && (await isLastOwner(userId))) throw new UserInputError('Washboard needs at least one owner: make someone else an owner first.');
  await setUserAccess(userId, { role, sites: checked });
}

/** Removes a user; their sessions end at once. Returns the removed email. */
export async function removeUser(userId: string): Promise<string> {
  const user = await getUserAccess(userId);
  if (!user) throw new UserInputError('That user no longer exists.');
  if (await isLastOwner(userId)) throw new UserInputError('Washboard needs at least one owner: make someone else an owner first.');
  await deleteUser(userId);
  return user.email;
}

export async function removeUserByEmail(email: string): Promise<string> {
  const normalized = parseEmail(email);
  const userId = await findUserIdByEmail(normalized);
  if (!userId) throw new UserInputError(`There is no user with the email ${normalized}.`);
  return removeUser(userId);
}

/** Sites as the CLI and the audit log write them: `washu/JOLIET, icon/DENVER`. */
export function formatSiteList(sites: readonly SiteRef[]): string {
  return sites.map((s) => `${s.databaseKey}/${s.code}`).join(', ');
}
