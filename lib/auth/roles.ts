/**
 * Washboard's roles (issue 12). Pure: the CLI, the pages and the scope rules share them.
 * - owner: every database and site, Sync now, users, audit log.
 * - manager: assigned sites; Sync now for the databases those sites belong to.
 * - viewer: assigned sites, read only.
 */
import { z } from 'zod';

export const ROLES = ['owner', 'manager', 'viewer'] as const;
export const roleSchema = z.enum(ROLES, { error: 'The role must be owner, manager or viewer.' });
export type Role = z.infer<typeof roleSchema>;

export const ROLE_LABELS: Record<Role, string> = { owner: 'Owner', manager: 'Manager', viewer: 'Viewer' };

/** What a role may do beyond reading its sites; the scope itself is lib/auth/scope.ts. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'Every database and site, Sync now, users and the audit log.',
  manager: 'Their sites, and Sync now for the databases those sites belong to.',
  viewer: 'Their sites, read only.',
};

/** Owners see everything, so site assignments are for managers and viewers only. */
export function roleHasSites(role: Role): boolean {
  return role !== 'owner';
}
