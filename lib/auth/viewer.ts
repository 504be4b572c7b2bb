/**
 * The signed-in person for server components, server actions and route handlers (`getViewer()`),
 * once per request. Pages call `requireViewer()` (sign-in page when there is no session, then back)
 * or `requireOwner()` (404 for anyone else: settings pages do not reveal they exist).
 */
import 'server-only';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { loginPath, PATH_HEADER } from './redirect';
import { viewerFromHeaders, type Viewer } from './session';

export type { Viewer };

export const getViewer = cache(async (): Promise<Viewer | null> => viewerFromHeaders(await headers()));

export async function requireViewer(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect(loginPath((await headers()).get(PATH_HEADER) ?? '/'));
  return viewer;
}

export async function requireOwner(): Promise<Viewer> {
  const viewer = await requireViewer();
  if (viewer.role !== 'owner') notFound();
  return viewer;
}
