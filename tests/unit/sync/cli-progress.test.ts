import { describe, expect, it } from 'vitest';
import { createProgressPrinter, describeProgress } from '@/lib/sync/cli-progress';

const progress = (done: number, planned: number, etaAt: number | null = null) => ({ doneRequests: done, plannedRequests: planned, rows: done * 90, etaAt });

describe('npm run sync progress', () => {
  it('reads as one plain line per database', () => {
    expect(describeProgress({ name: 'WashU', progress: progress(1200, 3000, 90_000) }, 0)).toBe(
      'WashU: 40% · 1,200 of about 3,000 requests · 108,000 transactions · about 1m 30s left',
    );
    expect(describeProgress({ name: 'Icon', progress: null }, 0)).toBe('Icon: waiting for the run it joined');
  });

  it('prints a line per 10 % step or every 10 s when the output is a log, not every second', () => {
    const out: string[] = [];
    let now = 0;
    const printer = createProgressPrinter({ tty: false, write: (t) => out.push(t), now: () => now });
    for (let second = 0; second <= 60; second++) {
      now = second * 1000;
      // 1 % a second for the first 30 s, then stuck (waiting for the budget) for 30 s.
      printer.update([{ name: 'WashU', progress: progress(Math.min(second, 30), 100) }]);
    }
    // Steps at 0, 10, 20, 30 %, then a reminder every 10 s while stuck at 30 %.
    expect(out.map((l) => l.split(' · ')[0])).toEqual(['WashU: 0%', 'WashU: 10%', 'WashU: 20%', 'WashU: 30%', 'WashU: 30%', 'WashU: 30%', 'WashU: 30%']);
  });

  it('keeps one line per database in place on a terminal', () => {
    const out: string[] = [];
    const printer = createProgressPrinter({ tty: true, write: (t) => out.push(t), now: () => 0 });
    const lines = [{ name: 'WashU', progress: progress(1, 10) }, { name: 'Icon', progress: progress(2, 10) }];
    printer.update(lines);
    printer.update(lines);
    printer.done();
    expect(out[0]).toBe('\x1b[2KWashU: 10% · 1 of about 10 requests · 90 transactions\n\x1b[2KIcon: 20% · 2 of about 10 requests · 180 transactions\n');
    expect(out[1]!.startsWith('\x1b[2F')).toBe(true); // back up two lines, rewrite
    expect(out[2]).toBe('\x1b[2F\x1b[0J');
  });
});
