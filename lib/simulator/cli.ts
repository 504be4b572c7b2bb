/**
 * Run the simulator from a terminal:
 *   npx tsx lib/simulator/cli.ts --port 4010 [--seed N] [--rate 20/15s] [--latency 0-150ms]
 *     [--faults 5xx=0.02,drop=0.01,nulltotal=0.05,malformed=0.01,hang=0.01,nested,seed=7] [--sandbox]
 *     [--now 2026-03-10T18:00:00Z]
 * Prints the URL and the API IDs and keys it accepts, then serves until interrupted.
 */
import { parseArgs } from 'node:util';
import { startSimulator } from '@/lib/simulator/index';
import { parseFaultSpec, parseLatency } from '@/lib/simulator/http/faults';

function parseRate(spec: string): { limit: number; windowMs: number } {
  const m = /^(\d+)\/(\d+(?:\.\d+)?)(ms|s)?$/.exec(spec.trim());
  if (!m) throw new Error(`Bad --rate "${spec}" (use e.g. 20/15s)`);
  const n = Number(m[2]);
  return { limit: Number(m[1]), windowMs: m[3] === 'ms' ? n : n * 1000 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      rate: { type: 'string' },
      latency: { type: 'string' },
      faults: { type: 'string' },
      sandbox: { type: 'boolean', default: false },
      now: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npx tsx lib/simulator/cli.ts --port 4010 [--seed N] [--rate 20/15s] [--latency 0-150ms] [--faults 5xx=0.02,drop=0.01] [--sandbox] [--now ISO]');
    return;
  }
  const latency = values.latency ? parseLatency(values.latency) : undefined;
  const faults = { ...(values.faults ? parseFaultSpec(values.faults) : {}), requestLatencyMs: latency, responseLatencyMs: latency };
  const start = values.now ? Date.parse(values.now) : undefined;
  if (start !== undefined && Number.isNaN(start)) throw new Error(`Bad --now "${values.now}"`);
  const sim = await startSimulator({
    port: Number(values.port),
    host: values.host,
    seed: values.seed === undefined ? undefined : Number(values.seed),
    throttle: values.rate ? parseRate(values.rate) : undefined,
    faults,
    sandbox: values.sandbox,
    clock: start === undefined ? undefined : { start },
    log: (line) => console.error(line),
  });
  console.log(`Sonny's Data API simulator listening on ${sim.url}`);
  for (const db of sim.world.databases) {
    console.log(`  ${db.name} (${db.key})  X-Sonnys-API-ID: ${db.apiId}  X-Sonnys-API-Key: ${db.apiKey}`);
    console.log(`    sites: ${db.sites.map((s) => `${s.code}${s.isVirtual ? ' (virtual)' : ''} [${s.timezone ?? 'no timezone'}]`).join(', ')}`);
  }
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
