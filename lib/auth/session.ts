/**
 * Reading who is asking from a request's headers: Better Auth validates the session cookie against
 * the sessions table (expired, signed out or removed users get null), then Washboard adds the role
 * and sites, read fresh on every request so a change or removal applies at once.
 */
import { getUserAccess, type UserAccess } from '@/db/queries/users';
import { getAuth } from './config';
import { isSecureRequest } from './request';
import type { ViewerAccess } from './scope';

export type Viewer = ViewerAccess & Pick<UserAccess, 'userId' | 'email' | 'isDemo'>;

export async function viewerFromHeaders(headers: Headers): Promise<Viewer | null> {
  const session = await (await getAuth({ secure: isSecureRequest(headers) })).api.getSession({ headers });
  if (!session) return null;
  const access = await getUserAccess(session.user.id);
  if (!access) return null;
  return { userId: access.userId, email: access.email, isDemo: access.isDemo, role: access.role, sites: access.sites };
}
