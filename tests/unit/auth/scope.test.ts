import { describe, expect, it } from 'vitest';
import {
  canSeeDatabase,
  canSeeSite,
  canSyncDatabase,
  narrowScope,
  scopeForViewer,
  visibleCatalog,
  visibleDatabaseKeys,
  type ViewerAccess,
} from '@/lib/auth/scope';
import type { ReportScope, SiteRef } from '@/lib/reports/scope';

const site = (databaseKey: string, code: string, name = code, removed = false) => ({ code, name, timezone: 'America/Chicago', removed });
const CATALOG = [
  { key: 'icon', name: 'Icon', isDemo: true, sites: [site('icon', 'DENVER'), site('icon', 'JOLIET'), site('icon', 'MESA')] },
  { key: 'washu', name: 'WashU', isDemo: true, sites: [site('washu', 'JOLIET'), site('washu', 'PLAINFIELD')] },
];
const ALL_SITES: SiteRef[] = CATALOG.flatMap((d) => d.sites.map((s) => ({ databaseKey: d.key, code: s.code })));

const owner: ViewerAccess = { role: 'owner', sites: [] };
const manager: ViewerAccess = { role: 'manager', sites: [{ databaseKey: 'washu', code: 'JOLIET' }] };
const viewer: ViewerAccess = { role: 'viewer', sites: [{ databaseKey: 'washu', code: 'JOLIET' }, { databaseKey: 'icon', code: 'MESA' }] };
const nobody: ViewerAccess = { role: 'manager', sites: [] };

const range = { from: '2026-11-01', to: '2026-11-30' };
const key = (s: SiteRef) => `${s.databaseKey}/${s.code}`;

/**
 * Every site a scope can read, given the catalog: what `scopeWhere`'s SQL keeps, the UNION of the
 * whole databases and the single sites (every site when it names neither).
 */
function reachable(scope: ReportScope): string[] {
  const any = scope.databaseKeys !== undefined || scope.sites !== undefined;
  return ALL_SITES.filter((s) => !any || (scope.databaseKeys?.includes(s.databaseKey) ?? false) || (scope.sites?.some((t) => key(t) === key(s)) ?? false))
    .map(key)
    .sort();
}

describe('scope rules', () => {
  it('leave an owner unrestricted', () => {
    const requested: ReportScope = { ...range, databaseKeys: ['icon'] };
    expect(narrowScope(owner, requested)).toBe(requested);
    expect(narrowScope(owner, range)).toEqual(range);
    expect(visibleCatalog(owner, CATALOG)).toEqual(CATALOG);
    expect(visibleDatabaseKeys(owner, CATALOG)).toEqual(['icon', 'washu']);
    expect(canSeeSite(owner, { databaseKey: 'icon', code: 'MESA' })).toBe(true);
    expect(canSyncDatabase(owner, 'icon')).toBe(true);
  });

  it('show a manager only their sites, the same code in another database included', () => {
    expect(reachable(narrowScope(manager, range))).toEqual(['washu/JOLIET']);
    expect(canSeeSite(manager, { databaseKey: 'icon', code: 'JOLIET' })).toBe(false);
    expect(canSeeDatabase(manager, 'icon')).toBe(false);
    expect(visibleDatabaseKeys(manager, CATALOG)).toEqual(['washu']);
    expect(visibleCatalog(manager, CATALOG)).toEqual([{ ...CATALOG[1], sites: [CATALOG[1]!.sites[0]] }]);
  });

  it('let managers sync the databases of their sites and viewers nothing', () => {
    expect(canSyncDatabase(manager, 'washu')).toBe(true);
    expect(canSyncDatabase(manager, 'icon')).toBe(false);
    expect(canSyncDatabase(viewer, 'washu')).toBe(false);
    expect(canSeeDatabase(viewer, 'icon')).toBe(true);
  });

  it('narrow a request to the assigned sites within it', () => {
    expect(reachable(narrowScope(viewer, { ...range, databaseKeys: ['icon'] }))).toEqual(['icon/MESA']);
    expect(reachable(narrowScope(viewer, { ...range, sites: [{ databaseKey: 'washu', code: 'JOLIET' }] }))).toEqual(['washu/JOLIET']);
    // Sites only, never a whole database: in a union a database would widen the scope to all its sites.
    expect(narrowScope(viewer, range)).toEqual({ ...range, sites: viewer.sites });
  });

  it('select nothing when nothing is assigned or the request is outside the assignment', () => {
    expect(reachable(narrowScope(nobody, range))).toEqual([]);
    expect(narrowScope(nobody, range)).toEqual({ ...range, sites: [] });
    expect(reachable(narrowScope(manager, { ...range, databaseKeys: ['icon'] }))).toEqual([]);
    expect(reachable(narrowScope(manager, { ...range, sites: [{ databaseKey: 'icon', code: 'JOLIET' }] }))).toEqual([]);
    expect(visibleCatalog(nobody, CATALOG)).toEqual([]);
  });

  it('never widen, whatever the parameters (every combination of databases and sites)', () => {
    const databaseChoices: (string[] | undefined)[] = [undefined, [], ['washu'], ['icon'], ['washu', 'icon'], ['nope']];
    const siteChoices: (SiteRef[] | undefined)[] = [undefined, [], ...ALL_SITES.map((s) => [s]), ALL_SITES, [{ databaseKey: 'washu', code: 'NOPE' }]];
    for (const who of [manager, viewer, nobody]) {
      const allowed = new Set(who.sites.map(key));
      for (const databaseKeys of databaseChoices) {
        for (const sites of siteChoices) {
          const requested: ReportScope = { ...range, ...(databaseKeys ? { databaseKeys } : {}), ...(sites ? { sites } : {}) };
          const narrowed = narrowScope(who, requested);
          // Within the viewer's sites, within what was asked, over the same days.
          for (const s of reachable(narrowed)) {
            expect(allowed.has(s)).toBe(true);
            expect(reachable(requested)).toContain(s);
          }
          expect(narrowed.sites).toBeDefined();
          expect(narrowed.databaseKeys).toBeUndefined();
          expect({ from: narrowed.from, to: narrowed.to }).toEqual(range);
        }
      }
    }
  });

  it('give the catalog and the scope together', () => {
    const { catalog, scope } = scopeForViewer(manager, { ...range, databaseKeys: ['washu', 'icon'] }, CATALOG);
    expect(catalog.map((d) => d.key)).toEqual(['washu']);
    expect(reachable(scope)).toEqual(['washu/JOLIET']);
  });
});
