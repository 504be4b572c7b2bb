import { describe, expect, it } from 'vitest';
import { passwordProblem } from '@/lib/auth/password';
import { loginPath, safeNextPath } from '@/lib/auth/redirect';
import { clientAddress, isSecureRequest } from '@/lib/auth/request';
import { planSyncNow } from '@/lib/server/sync-now';

describe('the way back after sign-in', () => {
  it('follows local paths with their query', () => {
    expect(safeNextPath('/sites/washu/JOLIET?preset=last7')).toBe('/sites/washu/JOLIET?preset=last7');
    expect(safeNextPath('/sync')).toBe('/sync');
    expect(loginPath('/sync')).toBe('/login?next=%2Fsync');
    expect(loginPath('/')).toBe('/login');
  });

  it('never leaves the site', () => {
    for (const next of ['https://evil.example', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'evil', '', undefined, 42, '/login?next=/x']) {
      expect(safeNextPath(next)).toBe('/');
    }
  });
});

describe('passwords', () => {
  it('refuse short, repetitive and email-like ones with one sentence', () => {
    expect(passwordProblem('short')).toMatch(/too short: use at least 10 characters/);
    expect(passwordProblem('aaaaaaaaaaaa')).toMatch(/too weak/);
    expect(passwordProblem('jane.doe-2026!', 'jane.doe@example.com')).toMatch(/contains the email/);
    expect(passwordProblem('x'.repeat(129))).toMatch(/too long/);
    expect(passwordProblem('correct horse battery', 'jane@example.com')).toBeNull();
  });
});

describe('request facts', () => {
  it('read the address the nearest proxy saw and the scheme', () => {
    expect(clientAddress(new Headers({ 'x-forwarded-for': '198.51.100.1, 10.0.0.2' }))).toBe('10.0.0.2');
    expect(clientAddress(new Headers({ 'x-forwarded-for': '203.0.113.9' }))).toBe('203.0.113.9');
    expect(clientAddress(new Headers())).toBe('unknown');
    expect(isSecureRequest(new Headers({ 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(isSecureRequest(new Headers({ 'x-forwarded-proto': 'http' }))).toBe(false);
  });
});

describe('Sync now', () => {
  const now = 1_800_000_000_000;
  const cooldownMs = 60_000;
  it('answers "synced N s ago" within a minute of a successful sync', () => {
    expect(planSyncNow({ running: false, lastSucceededAt: now - 12_400, now, cooldownMs })).toEqual({ action: 'recent', secondsAgo: 12 });
  });
  it('starts a run after a minute, before any sync, and joins a running one', () => {
    expect(planSyncNow({ running: false, lastSucceededAt: now - 60_000, now, cooldownMs })).toEqual({ action: 'trigger' });
    expect(planSyncNow({ running: false, lastSucceededAt: null, now, cooldownMs })).toEqual({ action: 'trigger' });
    expect(planSyncNow({ running: true, lastSucceededAt: now - 1000, now, cooldownMs })).toEqual({ action: 'trigger' });
    expect(planSyncNow({ running: false, lastSucceededAt: now - 1000, now, cooldownMs: 0 })).toEqual({ action: 'trigger' });
  });
});
