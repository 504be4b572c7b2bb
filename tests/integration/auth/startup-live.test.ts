/**
 * Start-up with real databases configured: demo users left from a demo run are removed (their
 * random passwords are gone, but they must not outlive demo mode), and the log says how to create
 * the first owner while there is nobody.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listUsers, markDemoUser } from '@/db/queries/users';
import { startAuth } from '@/lib/auth/startup';
import { DIALECTS } from '../../support/postgres';
import { createAuthFixture, makeUser, type AuthFixture } from './support';

describe.each(DIALECTS)('start-up with real databases on %s', (dialect) => {
let fixture: AuthFixture;
beforeAll(async () => {
  // Read by the fixture's fresh getConfig(): live mode.
  Object.assign(process.env, { SONNYS_DATABASES: 'washu', SONNYS_WASHU_API_ID: 'id', SONNYS_WASHU_API_KEY: 'not-used-here' });
  fixture = await createAuthFixture(dialect);
});
afterAll(async () => {
  await fixture.close();
  for (const key of ['SONNYS_DATABASES', 'SONNYS_WASHU_API_ID', 'SONNYS_WASHU_API_KEY']) delete process.env[key];
});

it('removes demo users and tells the operator how to create the first owner', async () => {
  await markDemoUser(await makeUser('owner@demo.washboard.test', 'owner'));
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  await startAuth();
  expect(log.mock.calls.flat()).toEqual([
    'Removed the 1 demo user(s): real databases are configured.',
    'No user account yet. Create the first owner with: npm run users -- add --email you@example.com --role owner',
  ]);
  log.mockRestore();
  expect(await listUsers()).toEqual([]);
});
});
