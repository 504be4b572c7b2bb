import { describe, expect, it } from 'vitest';
import * as sdk from '@/lib/sonnys';
import { PRODUCTION_BASE_URL, SonnysClient } from '@/lib/sonnys/client';
import { SonnysError } from '@/lib/sonnys/core/errors';

describe('SonnysClient', () => {
  it('defaults to production and exposes one resource per API area', () => {
    const c = new SonnysClient({ apiId: 'id', apiKey: 'key-abcdef' });
    expect(c.baseUrl).toBe(PRODUCTION_BASE_URL);
    expect(PRODUCTION_BASE_URL).toBe('https://trigonapi.sonnyscontrols.com/v1');
    for (const r of ['transactions', 'sites', 'items', 'customers', 'employees', 'giftcards', 'washbooks', 'recurring', 'salesOutcomes'] as const) {
      expect(c[r]).toBeDefined();
    }
  });

  it('requires credentials without echoing them', () => {
    expect(() => new SonnysClient({ apiId: '', apiKey: 'key-abcdef' })).toThrow(SonnysError);
    expect(() => new SonnysClient({ apiId: 'id', apiKey: '' })).toThrow(SonnysError);
  });

  it('withOptions returns an independent client with overrides', () => {
    const a = new SonnysClient({ apiId: 'id', apiKey: 'key-abcdef', siteCode: 'A' });
    const b = a.withOptions({ siteCode: 'B' });
    expect([a.siteCode, b.siteCode]).toEqual(['A', 'B']);
    expect(b.apiId).toBe('id');
  });

  it('the index re-exports client, errors, schemas and date helpers', () => {
    expect(sdk.SonnysClient).toBe(SonnysClient);
    expect(sdk.APIError).toBeDefined();
    expect(sdk.RateLimitError).toBeDefined();
    expect(sdk.TransactionListItemV2Schema).toBeDefined();
    expect(sdk.localDayRange).toBeTypeOf('function');
    expect(sdk.Paginator).toBeTypeOf('function');
  });
});
