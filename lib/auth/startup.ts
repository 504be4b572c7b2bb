/**
 * What accounts need once when the web server starts (instrumentation.ts): the session secret
 * (generated on first start), the demo users in demo mode (removed otherwise), and a plain hint in
 * the log while nobody can sign in.
 */
import { countUsers } from '@/db/queries/users';
import { getConfig } from '@/lib/env';
import { getAuth } from './config';
import { ensureDemoUsers, removeDemoUsers } from './demo';

/** The command that creates the first owner; the sign-in page shows the same line. */
export const FIRST_OWNER_COMMAND = 'npm run users -- add --email you@example.com --role owner';

export async function startAuth(): Promise<void> {
  const config = getConfig();
  // Builds the instance now, so a bad or unreadable secret (file or database) stops the start, not a sign-in.
  await getAuth();
  if (config.mode === 'demo') {
    await ensureDemoUsers();
    console.log('Demo mode: sign in with the "Sign in as demo owner" or "Sign in as demo manager" button.');
  } else {
    const removed = await removeDemoUsers();
    if (removed) console.log(`Removed the ${removed} demo user(s): real databases are configured.`);
  }
  if ((await countUsers()) === 0) console.log(`No user account yet. Create the first owner with: ${FIRST_OWNER_COMMAND}`);
}
