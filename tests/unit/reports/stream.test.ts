import { describe, expect, it } from 'vitest';
import { chunksToReadableStream } from '@/lib/reports/stream';

function* numbered(count: number, produced: { n: number }) {
  for (let i = 0; i < count; i++) {
    produced.n++;
    yield `${i}\n`;
  }
}

describe('chunksToReadableStream', () => {
  it('yields to the event loop between chunks, even for a reader that never waits', async () => {
    const produced = { n: 0 };
    const stream = chunksToReadableStream(numbered(200, produced));
    // A timer due at once must run while the export is still going, not after it.
    let producedWhenTimerRan = -1;
    setTimeout(() => (producedWhenTimerRan = produced.n), 0);
    const text = await new Response(stream).text();
    expect(text.split('\n')).toHaveLength(201);
    expect(producedWhenTimerRan).toBeGreaterThanOrEqual(0);
    expect(producedWhenTimerRan).toBeLessThan(50);
  });

  it('produces only what the reader takes (one chunk ahead)', async () => {
    const produced = { n: 0 };
    const reader = chunksToReadableStream(numbered(100, produced)).getReader();
    await reader.read();
    await reader.read();
    await new Promise((r) => setTimeout(r, 30));
    expect(produced.n).toBeLessThanOrEqual(3);
    await reader.cancel();
  });

  it('ends a stream whose reader went quiet, as an abort, and cleans up once', async () => {
    let closed = 0;
    const produced = { n: 0 };
    const reader = chunksToReadableStream(numbered(100, produced), () => closed++, { idleTimeoutMs: 100 }).getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 250));
    expect(closed).toBe(1);
    // What was queued before the stall may still be read; then the abort.
    let error: unknown;
    try {
      for (;;) if ((await reader.read()).done) break;
    } catch (e) {
      error = e;
    }
    expect((error as Error).name).toBe('AbortError');
    expect(closed).toBe(1);
  });

  it('keeps a steady reader going past the idle limit', async () => {
    let closed = 0;
    const produced = { n: 0 };
    const reader = chunksToReadableStream(numbered(8, produced), () => closed++, { idleTimeoutMs: 120 }).getReader();
    let lines = 0;
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
      lines++;
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(lines).toBe(8);
    expect(closed).toBe(1);
  });
});
