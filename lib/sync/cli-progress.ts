/**
 * How `npm run sync` shows progress (issue 15). On a terminal: one line per database, rewritten in
 * place. Anywhere else (CI, cron, a log file): a line per database when it crosses a 10 % step, or
 * every 10 s at most when it does not, so a log is readable and small.
 */
import type { RunProgress } from './store';

export interface ProgressLine {
  name: string;
  progress: RunProgress | null;
}

const count = (n: number) => n.toLocaleString('en-US');

/** `WashU: 40% · 120 of about 300 requests · 5,120 transactions · about 1m 30s left` */
export function describeProgress(line: ProgressLine, now: number): string {
  const p = line.progress;
  if (!p) return `${line.name}: waiting for the run it joined`;
  const percent = p.plannedRequests > 0 ? Math.min(99, Math.floor((p.doneRequests / p.plannedRequests) * 100)) : 0;
  let eta = '';
  if (p.etaAt !== null) {
    const s = Math.max(0, Math.round((p.etaAt - now) / 1000));
    eta = ` · about ${s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`} left`;
  }
  return `${line.name}: ${percent}% · ${count(p.doneRequests)} of about ${count(p.plannedRequests)} requests · ${count(p.rows)} transactions${eta}`;
}

export interface ProgressPrinter {
  update(lines: readonly ProgressLine[]): void;
  /** Clears the live lines (terminal) before the final messages. */
  done(): void;
}

/** A printer for a terminal (`tty`) or for a log; `write` defaults to stdout. */
export function createProgressPrinter(options: {
  tty: boolean;
  write?: (text: string) => void;
  now?: () => number;
  /** Log mode: the longest silence while a run goes. @default 10000 */
  everyMs?: number;
}): ProgressPrinter {
  const write = options.write ?? ((t: string) => void process.stdout.write(t));
  const now = options.now ?? Date.now;
  if (options.tty) {
    let shown = 0;
    return {
      update(lines) {
        // Back to the first live line, then rewrite each in place (clearing what was longer).
        const up = shown > 0 ? `\x1b[${shown}F` : '';
        write(up + lines.map((l) => `\x1b[2K${describeProgress(l, now())}\n`).join(''));
        shown = lines.length;
      },
      done() {
        if (shown > 0) write(`\x1b[${shown}F\x1b[0J`);
        shown = 0;
      },
    };
  }
  const everyMs = options.everyMs ?? 10_000;
  const last = new Map<string, { step: number; at: number }>();
  return {
    update(lines) {
      for (const l of lines) {
        const p = l.progress;
        const step = p && p.plannedRequests > 0 ? Math.floor((p.doneRequests / p.plannedRequests) * 10) : 0;
        const before = last.get(l.name);
        if (before && step === before.step && now() - before.at < everyMs) continue;
        last.set(l.name, { step, at: now() });
        write(`${describeProgress(l, now())}\n`);
      }
    },
    done() {},
  };
}
