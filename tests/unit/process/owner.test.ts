import { spawn } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { isClaimLive, isOwnerDead, isProcessRunning, newOwner, parseOwner } from '@/lib/process/owner';

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

describe('owners', () => {
  it('are host:pid:tag, parsed from the right', () => {
    expect(newOwner()).toMatch(new RegExp(`^${os.hostname()}:${process.pid}:[0-9a-f]{8}$`));
    expect(parseOwner('db-1.internal:4242:abcd1234')).toEqual({ host: 'db-1.internal', pid: 4242, tag: 'abcd1234' });
    expect(parseOwner('fe80::1:77:x')).toEqual({ host: 'fe80::1', pid: 77, tag: 'x' });
    expect(parseOwner('nonsense')).toBeUndefined();
  });

  it('are dead when their process on this host is gone, and never judged dead on another host', async () => {
    const pid = await deadPid();
    expect(isProcessRunning(process.pid)).toBe(true);
    expect(isProcessRunning(pid)).toBe(false);
    expect(isOwnerDead(`${os.hostname()}:${pid}:t`)).toBe(true);
    expect(isOwnerDead(`${os.hostname()}:${process.pid}:t`)).toBe(false);
    expect(isOwnerDead(`another-host-${os.hostname()}:${pid}:t`)).toBe(false);
    expect(isOwnerDead('legacy-owner')).toBe(false);
  });

  it('hold a claim while alive and renewed; either failing ends it', async () => {
    const pid = await deadPid();
    const now = 1_000_000;
    expect(isClaimLive(`${os.hostname()}:${process.pid}:t`, now + 1, now)).toBe(true);
    expect(isClaimLive(`${os.hostname()}:${process.pid}:t`, now, now)).toBe(false); // not renewed
    expect(isClaimLive(`${os.hostname()}:${pid}:t`, now + 60_000, now)).toBe(false); // dead
    expect(isClaimLive(`elsewhere:${pid}:t`, now + 60_000, now)).toBe(true); // only its heartbeat can tell
  });
});
