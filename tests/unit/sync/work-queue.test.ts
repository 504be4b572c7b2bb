import { describe, expect, it } from 'vitest';
import { JobFailure, WorkQueue, Yielded } from '@/lib/sync/work-queue';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('the run’s work queue', () => {
  it('runs by priority, then in the order added, with follow-ups at the front of their priority', async () => {
    const q = new WorkQueue();
    const order: string[] = [];
    const job = (name: string, priority: number, extra?: () => void) => ({ priority, label: name, run: async () => { order.push(name); extra?.(); } });
    q.push(job('b1', 2));
    q.push(job('a1', 1, () => q.push(job('a1-follow', 1), { front: true })));
    q.push(job('a2', 1));
    q.push(job('b2', 2));
    await q.run(1);
    expect(order).toEqual(['a1', 'a1-follow', 'a2', 'b1', 'b2']);
  });

  it('holds a job until its tags are released and its time has come, and ends when nothing is left', async () => {
    const q = new WorkQueue();
    const order: string[] = [];
    q.push({ priority: 0, label: 'waits', after: ['range-1'], run: async () => void order.push('waits') });
    q.push({ priority: 5, label: 'later', notBefore: Date.now() + 30, run: async () => void order.push('later') });
    q.push({ priority: 9, label: 'range', run: async () => { order.push('range'); await tick(); q.release('range-1'); } });
    await q.run(3);
    expect(order).toEqual(['range', 'waits', 'later']);
  });

  it('runs up to `concurrency` jobs at once', async () => {
    const q = new WorkQueue();
    let active = 0;
    let peak = 0;
    for (let i = 0; i < 10; i++) {
      q.push({ priority: 0, label: `j${i}`, run: async () => { active++; peak = Math.max(peak, active); await tick(); await tick(); active--; } });
    }
    await q.run(4);
    expect(peak).toBe(4);
  });

  it('stops at the first failure, naming the job, and lets the jobs in flight finish', async () => {
    const q = new WorkQueue();
    const done: string[] = [];
    q.push({ priority: 0, label: 'slow', run: async () => { await tick(); await tick(); done.push('slow'); } });
    q.push({ priority: 0, label: 'page 3', endpoint: 'GET /x', run: async () => { throw new Error('boom'); } });
    q.push({ priority: 1, label: 'never', run: async () => void done.push('never') });
    const error = await q.run(2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailure);
    expect((error as JobFailure).job).toMatchObject({ label: 'page 3', endpoint: 'GET /x' });
    expect(done).toEqual(['slow']);
  });

  it('starts nothing new after stop()', async () => {
    const q = new WorkQueue();
    const done: string[] = [];
    q.push({ priority: 0, label: 'first', run: async () => { done.push('first'); q.stop(); } });
    q.push({ priority: 1, label: 'second', run: async () => void done.push('second') });
    await q.run(1);
    expect(done).toEqual(['first']);
    expect(q.pending).toBe(1);
  });
});

describe('exclusive work (first screen, Sync now)', () => {
  it('goes alone: nothing else starts while it waits or runs', async () => {
    const q = new WorkQueue(Date.now, 10);
    const order: string[] = [];
    q.push({ priority: 20, label: 'backfill-1', run: async () => void order.push('backfill-1') });
    q.push({ priority: 5, label: 'fresh', notBefore: Date.now() + 20, run: async () => void order.push('fresh') });
    q.push({ priority: 20, label: 'backfill-2', run: async () => void order.push('backfill-2') });
    await q.run(4);
    expect(order).toEqual(['fresh', 'backfill-1', 'backfill-2']);
  });

  it('gets a worker of its own when every worker is busy', async () => {
    const q = new WorkQueue(Date.now, 10);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    q.push({
      priority: 20,
      label: 'busy',
      run: async () => {
        q.push({ priority: 0, label: 'fresh', run: async () => { order.push('fresh'); release(); } });
        await gate; // the only worker waits until the fresh job ran
        order.push('busy');
      },
    });
    await q.run(1);
    expect(order).toEqual(['fresh', 'busy']);
  });

  it('has the jobs in flight that have not sent yet give way, and runs them again after it', async () => {
    const q = new WorkQueue(Date.now, 10);
    const order: string[] = [];
    let runs = 0;
    // Waits "for a permit" until the exclusive job arrives, as a request at the limiter would.
    q.push({
      priority: 20,
      label: 'waiting',
      run: async (yieldSignal) => {
        runs++;
        if (runs === 1) {
          await new Promise<void>((resolve) => yieldSignal.addEventListener('abort', () => resolve(), { once: true }));
          throw new Yielded();
        }
        order.push('waiting');
      },
    });
    // Already sent: ignores the signal and finishes.
    q.push({
      priority: 20,
      label: 'sent',
      run: async () => {
        await new Promise((r) => setTimeout(r, 50));
        order.push('sent');
      },
    });
    setTimeout(() => q.push({ priority: 0, label: 'fresh', run: async () => void order.push('fresh') }), 5);
    await q.run(2);
    // The one that gave way ran again as soon as the exclusive job was done; the one sent was never interrupted.
    expect(order).toEqual(['fresh', 'waiting', 'sent']);
    expect(runs).toBe(2);
  });

  it('never asks exclusive jobs to give way', async () => {
    const q = new WorkQueue(Date.now, 10);
    let aborted: boolean | undefined;
    q.push({
      priority: 0,
      label: 'fresh-1',
      run: async (yieldSignal) => {
        q.push({ priority: 1, label: 'fresh-2', run: async () => {} });
        await new Promise((r) => setTimeout(r, 5));
        aborted = yieldSignal.aborted;
      },
    });
    await q.run(2);
    expect(aborted).toBe(false);
  });

  it('reports work left waiting for a tag that never comes instead of hanging', async () => {
    const q = new WorkQueue();
    q.push({ priority: 0, label: 'orphan', after: ['never'], run: async () => {} });
    await expect(q.run(2)).rejects.toThrow(/orphan: waited for never that never came/);
  });
});
