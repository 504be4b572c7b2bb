import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWorld } from '@/lib/simulator/index';
import { harness, type Harness, type Wire } from './helpers';

describe('credentials and site scoping (403 family)', () => {
  let h: Harness;
  beforeAll(async () => {
    const world = defaultWorld();
    const washu = world.databases[0]!;
    // A key that may not see SHOREWOOD, to exercise NotAuthorizedSiteCredentialsError.
    h = await harness({ databases: [{ ...washu, authorizedSiteCodes: ['JOLIET', 'ROMEOVILLE', 'PLAINFIELD'] }, world.databases[1]!] });
  });
  afterAll(() => h.sim.close());

  it('rejects missing credentials', async () => {
    const none = await fetch(`${h.sim.url}/site/list`);
    expect(none.status).toBe(403);
    expect((await none.json()).type).toBe('MissingClientCredentialsError');
    const idOnly = await fetch(`${h.sim.url}/site/list`, { headers: { 'X-Sonnys-API-ID': 'washu-demo' } });
    expect((await idOnly.json()).type).toBe('MissingClientCredentialsError');
  });

  it('rejects a wrong key and an unknown ID', async () => {
    const r = await h.call('/site/list', { headers: { 'X-Sonnys-API-Key': 'nope' } });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ type: 'BadClientCredentialsError', message: expect.any(String) });
    const r2 = await h.call('/site/list', { headers: { 'X-Sonnys-API-ID': 'who', 'X-Sonnys-API-Key': 'washu-demo-key' } });
    expect(r2.body.type).toBe('BadClientCredentialsError');
  });

  it('accepts header names in any case', async () => {
    const r = await fetch(`${h.sim.url}/site/list`, { headers: { 'x-sonnys-api-id': 'icon-demo', 'X-SONNYS-API-KEY': 'icon-demo-key' } });
    expect(r.status).toBe(200);
  });

  it('answers BadSiteCredentialsError for a header code that is not a site', async () => {
    const r = await h.call('/transaction/version-2', { site: 'NOPE' });
    expect(r.status).toBe(403);
    expect(r.body.type).toBe('BadSiteCredentialsError');
  });

  it('answers NotAuthorizedSiteCredentialsError for a real site the key may not use', async () => {
    const r = await h.call('/site/list', { site: 'SHOREWOOD' });
    expect(r.status).toBe(403);
    expect(r.body.type).toBe('NotAuthorizedSiteCredentialsError');
    const list = await h.call('/site/list');
    expect(list.body.data.sites.map((s: Wire) => s.code)).toEqual(['JOLIET', 'ROMEOVILLE', 'PLAINFIELD']);
  });

  it('answers NotAuthorizedSiteArgsError when site= differs from the header', async () => {
    const r = await h.call('/transaction?site=ROMEOVILLE', { site: 'JOLIET' });
    expect(r.status).toBe(403);
    expect(r.body.type).toBe('NotAuthorizedSiteArgsError');
    const same = await h.call('/transaction?site=JOLIET&limit=1', { site: 'JOLIET' });
    expect(same.status).toBe(200);
  });

  it('scopes data to the header site', async () => {
    const r = await h.call('/site/list', { db: 'icon', site: 'MESA' });
    expect(r.body.data.sites).toEqual([{ siteID: 12, code: 'MESA', name: 'Icon Mesa', timezone: 'America/Phoenix' }]);
    const tx = await h.call('/transaction/version-2?limit=100', { site: 'JOLIET' });
    expect(tx.body.data.transactions.length).toBeGreaterThan(0);
    expect(tx.body.data.transactions.every((t: Wire) => t.transId.endsWith(':1'))).toBe(true);
  });

  it('answers 404 EntityNotFoundError for unknown paths and unknown site arguments', async () => {
    expect((await h.call('/nope')).body.type).toBe('EntityNotFoundError');
    const r = await h.call('/transaction?site=ATLANTIS');
    expect(r.status).toBe(404);
    expect(r.body.type).toBe('EntityNotFoundError');
    const region = await h.call('/transaction/version-2?region=MARS');
    expect(region.status).toBe(404);
  });

  it('serves the same site code in two databases independently', async () => {
    const a = await h.call('/site/list', { db: 'washu' });
    const b = await h.call('/site/list', { db: 'icon' });
    expect(a.body.data.sites[0].code).toBe('JOLIET');
    expect(b.body.data.sites.map((s: Wire) => s.code)).toContain('KAPOLEI');
    expect(b.body.data.sites.find((s: Wire) => s.code === 'KAPOLEI').timezone).toBeNull();
  });
});
