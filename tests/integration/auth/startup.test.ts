/**
 * What accounts do when the web server starts (instrumentation.ts → startAuth), in demo mode: the
 * demo owner and manager exist with their scope and can sign in through the demo path, and the
 * log says how to create the first real owner.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listUsers } from '@/db/queries/users';
import { demoCredentials, DEMO_USERS } from '@/lib/auth/demo';
import { viewerFromHeaders } from '@/lib/auth/session';
import { FIRST_OWNER_COMMAND, startAuth } from '@/lib/auth/startup';
import { DIALECTS } from '../../support/postgres';
import { createAuthFixture, requestHeaders, signIn, type AuthFixture } from './support';

describe.each(DIALECTS)('start-up in demo mode on %s', (dialect) => {
  let fixture: AuthFixture;
  beforeAll(async () => {
    delete process.env.SONNYS_DATABASES;
    fixture = await createAuthFixture(dialect);
  });
  afterAll(() => fixture.close());

  it('creates the demo owner and the demo manager of WashU JOLIET, and says how to add a real owner', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await startAuth();
    await startAuth(); // a second start (next dev reloads) changes nothing but the passwords
    expect(log.mock.calls.flat()).toContain(`No user account yet. Create the first owner with: ${FIRST_OWNER_COMMAND}`);
    log.mockRestore();
    const users = (await listUsers()).map((u) => ({ email: u.email, role: u.role, sites: u.sites, isDemo: u.isDemo }));
    expect(users).toEqual([
      { email: DEMO_USERS.manager.email, role: 'manager', sites: [{ databaseKey: 'washu', code: 'JOLIET' }], isDemo: true },
      { email: DEMO_USERS.owner.email, role: 'owner', sites: [], isDemo: true },
    ]);
  });

  it('signs the demo manager in with this process\'s password, and gives them JOLIET only', async () => {
    const { email, password } = await demoCredentials('manager');
    const viewer = await viewerFromHeaders(requestHeaders('192.0.2.60', await signIn(email, password, '192.0.2.60')));
    expect(viewer).toMatchObject({ role: 'manager', isDemo: true, sites: [{ databaseKey: 'washu', code: 'JOLIET' }] });
  });
});
