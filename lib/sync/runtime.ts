/**
 * Assembles what a process needs to sync: the shared rate limiter on the app's database, one
 * SDK client per database, and the sync manager. In demo mode (no SONNYS_DATABASES) the databases
 * are the embedded simulator's: the web server starts it; a CLI reuses the web server's simulator
 * when one is running, else starts its own (same seed, same data, same clock).
 */
import type { DatabaseRegistration } from '@/db/registry';
import { DEFAULT_TIMEZONE, type AppConfig } from '@/lib/env';
import { SonnysClient, type ClientOptions, type Logger } from '@/lib/sonnys';
import { SharedRateLimiter, type RateLimitStore } from '@/lib/sonnys/rate-limit';
import { defaultWorld, startSimulator, type Simulator, type WorldDatabase } from '@/lib/simulator';
import type { SyncOptions, SyncTarget } from './options';
import type { Ingestor } from './ingest';
import { SyncManager } from './manager';
import { applySiteTimezones } from './sites';
import type { SyncStore } from './store';

/**
 * What the sync needs of the app's database, declared here and provided by `db/` (`AppDatabase`
 * for SQLite): its bookkeeping, its ingestor, the rate limiter's shared store (one budget per API
 * ID for every process using the database), and the list of databases the pages show.
 */
export interface SyncDatabase {
  readonly syncStore: SyncStore;
  readonly ingestor: Ingestor;
  readonly rateLimitStore: RateLimitStore;
  registerDatabases(list: readonly DatabaseRegistration[]): Promise<void>;
}

const SIMULATOR_URL_KEY = 'demo_simulator_url';

export interface SyncRuntime {
  mode: AppConfig['mode'];
  store: SyncStore;
  limiter: SharedRateLimiter;
  manager: SyncManager;
  targets: SyncTarget[];
  /** The simulator this process started (demo mode), if any. */
  simulator: Simulator | undefined;
  /** Stops the scheduler and this process's runs gracefully (pages in flight commit), then the simulator. */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  config: AppConfig;
  db: SyncDatabase;
  /** Demo mode: reuse a running web server's simulator when it answers (CLIs). */
  reuseSimulator?: boolean;
  /** Port for the demo simulator. @default 0 (any free port) */
  simulatorPort?: number;
  /** Use this running simulator as the demo's data source (tests). */
  simulator?: Simulator;
  logger?: Logger;
  sync?: SyncOptions;
  /** Transport settings of every database's client (tests and benches: short timeouts). */
  client?: Pick<ClientOptions, 'timeoutMs' | 'maxRetries' | 'retry' | 'fetch'>;
}

async function simulatorAnswers(url: string): Promise<boolean> {
  try {
    // No credentials: a live simulator answers 403 with its JSON error body, quickly.
    const response = await fetch(`${url}/site/list`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json()) as { type?: string };
    return response.status === 403 && typeof body.type === 'string';
  } catch {
    return false;
  }
}

export async function createSyncRuntime(options: RuntimeOptions): Promise<SyncRuntime> {
  const { config, db } = options;
  const store = db.syncStore;
  const limiter = new SharedRateLimiter({
    store: db.rateLimitStore,
    limit: config.rateLimit.limit,
    windowMs: config.rateLimit.windowMs,
  });
  const clientFor = (d: { apiId: string; apiKey: string; baseUrl: string }) =>
    new SonnysClient({
      apiId: d.apiId,
      apiKey: d.apiKey,
      baseUrl: d.baseUrl,
      rateLimiter: limiter,
      ...options.client,
      ...(options.logger ? { logger: options.logger } : {}),
    });

  let simulator: Simulator | undefined;
  let targets: SyncTarget[];
  if (config.mode === 'live') {
    await db.registerDatabases(config.databases.map((d) => ({ key: d.key, name: d.name, apiId: d.apiId, defaultTimezone: d.defaultTimezone, isDemo: false })));
    targets = config.databases.map((d) => ({
      key: d.key,
      name: d.name,
      apiId: d.apiId,
      defaultTimezone: d.defaultTimezone,
      siteTimezones: config.siteTimezones[d.key] ?? {},
      credentialsHint: `SONNYS_${d.key.toUpperCase()}`,
      client: clientFor(d),
    }));
  } else {
    let url = options.reuseSimulator ? await store.getAppState(SIMULATOR_URL_KEY) : undefined;
    let databases: WorldDatabase[];
    if (options.simulator) {
      url = options.simulator.url;
      databases = options.simulator.world.databases;
    } else if (url && (await simulatorAnswers(url))) {
      databases = defaultWorld().databases;
    } else {
      simulator = await startSimulator({
        port: options.simulatorPort ?? 0,
        throttle: { limit: config.rateLimit.limit, windowMs: config.rateLimit.windowMs },
      });
      url = simulator.url;
      databases = simulator.world.databases;
      // Only the web server's simulator is advertised; a CLI's lives as long as the CLI.
      if (!options.reuseSimulator) await store.setAppState(SIMULATOR_URL_KEY, url, Date.now());
    }
    const baseUrl = url;
    await db.registerDatabases(databases.map((d) => ({ key: d.key, name: d.name, apiId: d.apiId, defaultTimezone: DEFAULT_TIMEZONE, isDemo: true })));
    targets = databases.map((d) => ({
      key: d.key,
      name: d.name,
      apiId: d.apiId,
      defaultTimezone: DEFAULT_TIMEZONE,
      siteTimezones: config.siteTimezones[d.key] ?? {},
      client: clientFor({ apiId: d.apiId, apiKey: d.apiKey, baseUrl }),
    }));
  }
  // A zone setting or default that changed since the last start moves the sites' stored days now,
  // before any run plans or any page reads them.
  for (const t of targets) {
    const moved = await applySiteTimezones({ store, databaseKey: t.key, defaultTimezone: t.defaultTimezone, siteTimezones: t.siteTimezones ?? {} });
    if (moved.length) options.logger?.info(`${t.name}: moved ${moved.join(', ')} to their configured time zones`);
  }

  const manager = new SyncManager(store, db.ingestor, targets, { backfillDays: config.backfillDays, rateLimit: config.rateLimit, kpis: config.syncKpis, ...options.sync });
  return {
    mode: config.mode,
    store,
    limiter,
    manager,
    targets,
    simulator,
    close: async () => {
      await manager.stop();
      await simulator?.close();
    },
  };
}
