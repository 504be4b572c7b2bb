import { describe, expect, it } from 'vitest';
import { filtersToSearchParams, parseReportFilters } from '@/lib/reports/filters';

const catalog = [
  { key: 'washu', name: 'WashU', sites: [{ code: 'JOLIET' }, { code: 'NILES' }] },
  { key: 'icon', name: 'Icon', sites: [{ code: 'DENVER' }, { code: 'JOLIET' }] },
];
const parse = (raw: Record<string, string | string[]>) => {
  const r = parseReportFilters(raw, { today: '2026-11-26', catalog });
  if (!r.ok) throw new Error(r.message);
  return r;
};

describe('database and site filters', () => {
  it('are a union of whole databases and single sites', () => {
    const { scope } = parse({ db: 'icon', site: 'washu:JOLIET' });
    expect(scope).toMatchObject({ databaseKeys: ['icon'], sites: [{ databaseKey: 'washu', code: 'JOLIET' }] });
  });

  it('drop a single site of a database that is chosen whole (it is in the union already)', () => {
    const { scope } = parse({ db: 'washu', site: ['washu:JOLIET', 'icon:JOLIET'] });
    expect(scope).toMatchObject({ databaseKeys: ['washu'], sites: [{ databaseKey: 'icon', code: 'JOLIET' }] });
    expect(parse({ db: 'washu', site: 'washu:NILES' }).scope.sites).toBeUndefined();
  });

  it('match a database by key or display name in any case, and a site code in any case', () => {
    expect(parse({ db: 'WashU' }).scope.databaseKeys).toEqual(['washu']);
    expect(parse({ db: ['ICON', 'icon'] }).scope.databaseKeys).toEqual(['icon']);
    expect(parse({ site: 'WashU:joliet' }).scope.sites).toEqual([{ databaseKey: 'washu', code: 'JOLIET' }]);
  });

  it('refuse what does not exist in one short sentence', () => {
    const bad = (raw: Record<string, string>) => {
      const r = parseReportFilters(raw, { today: '2026-11-26', catalog });
      return r.ok ? '' : r.message;
    };
    expect(bad({ db: 'nope' })).toBe('Washboard has no database called "nope".');
    expect(bad({ site: 'washu:NOPE' })).toBe('WashU has no site with code "NOPE".');
    expect(bad({ db: 'y'.repeat(500) }).length).toBeLessThan(100);
  });

  it('keep the comparison choice, defaulting to the previous period', () => {
    expect(parse({}).filters.compare).toBe('previous');
    expect(parse({ compare: 'lastYear' }).filters.compare).toBe('lastYear');
    expect(parse({ compare: 'bogus' }).filters.compare).toBe('previous');
    expect(filtersToSearchParams(parse({ compare: 'lastYear', preset: 'last7' }).filters).toString()).toBe('preset=last7&compare=lastYear');
    expect(filtersToSearchParams(parse({ preset: 'last7' }).filters).toString()).toBe('preset=last7');
  });
});
