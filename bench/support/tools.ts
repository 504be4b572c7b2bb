/**
 * The programs the benchmarks drive from their own processes, installed when missing so that
 * `npm run bench` measures the same way on a fresh machine (issue 15: without wrk, the page test
 * ran its client inside the bench process and reported the client's CPU as the page's latency).
 *
 * Debian/Ubuntu only: `apt-get install -y`, through `sudo -n` when not root (never a password
 * prompt in the middle of a benchmark). Anything else gets one sentence saying what to install.
 */
import { spawnSync } from 'node:child_process';

export interface Tool {
  /** The command the benchmark runs. */
  command: string;
  /** The Debian package that provides it. */
  aptPackage: string;
  /** What it is for, for the message when it cannot be installed. */
  purpose: string;
}

export const WRK: Tool = { command: 'wrk', aptPackage: 'wrk', purpose: 'the page load, from its own process' };
export const CURL: Tool = { command: 'curl', aptPackage: 'curl', purpose: 'the CSV download, from its own process' };

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function run(argv: string[]): { ok: boolean; output: string } {
  const [command, ...args] = argv as [string, ...string[]];
  const result = spawnSync(command, args, {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/**
 * Installs the missing tools. Returns one sentence per tool still missing afterwards (empty when
 * everything is there), for the benchmark to print and to fall back on.
 */
export function ensureTools(tools: readonly Tool[], log: (line: string) => void = console.log): string[] {
  const missing = tools.filter((t) => !hasCommand(t.command));
  if (missing.length === 0) return [];
  const names = missing.map((t) => t.command).join(' and ');
  const why = (reason: string) =>
    missing.map((t) => `${t.command} is not installed (${reason}): install it for ${t.purpose}, then run the benchmark again.`);

  if (!hasCommand('apt-get')) return why('this machine has no apt-get to install it with');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root && !hasCommand('sudo')) return why('apt-get needs root, and there is no sudo');
  const prefix = root ? [] : ['sudo', '-n'];
  const packages = missing.map((t) => t.aptPackage);

  log(`  installing ${names} (${[...prefix, 'apt-get', 'install', '-y', ...packages].join(' ')})...`);
  let install = run([...prefix, 'apt-get', 'install', '-y', '--no-install-recommends', ...packages]);
  if (!install.ok) {
    // A fresh machine often has no package lists yet.
    const update = run([...prefix, 'apt-get', 'update']);
    if (update.ok) install = run([...prefix, 'apt-get', 'install', '-y', '--no-install-recommends', ...packages]);
  }
  const still = missing.filter((t) => !hasCommand(t.command));
  if (still.length === 0) return [];
  const detail = install.output.split('\n').filter(Boolean).at(-1) ?? 'no output';
  const reason = !root && /password|sudo/i.test(install.output) ? 'sudo asked for a password' : `apt-get failed: ${detail}`;
  return still.map((t) => `${t.command} is not installed and could not be installed (${reason}): install it for ${t.purpose}, then run the benchmark again.`);
}
