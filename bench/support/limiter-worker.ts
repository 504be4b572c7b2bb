/**
 * One of the two client processes of the limiter benchmark (forked by bench/limiter.ts with
 * `--import tsx`). Protocol over the IPC channel: parent sends `start`, the worker answers
 * `ready` once its connection (SQLite) or pool (Postgres) is open, sends at `startAt`, then answers `done`.
 */
import { openLimitedClient, sendLimitedRequests, type LimiterDatabase, type RequestTiming } from './limited-requests';

export interface WorkerStart {
  type: 'start';
  database: LimiterDatabase;
  url: string;
  apiId: string;
  count: number;
  /** Workers in this process's pool (the sync's `concurrency`). */
  concurrency: number;
  windowMs: number;
}
export type WorkerGo = { type: 'go'; startAt: number };
export type WorkerMessage = { type: 'ready' } | { type: 'done'; results: RequestTiming[] } | { type: 'error'; message: string };

function send(message: WorkerMessage): void {
  process.send?.(message);
}

let client: ReturnType<typeof openLimitedClient> | undefined;
let config: WorkerStart | undefined;

process.on('message', (message: WorkerStart | WorkerGo) => {
  if (message.type === 'start') {
    config = message;
    client = openLimitedClient(message.database, message.windowMs);
    send({ type: 'ready' });
    return;
  }
  const started = config;
  const opened = client;
  if (!started || !opened) throw new Error('go before start');
  setTimeout(
    () => {
      sendLimitedRequests({
        limiter: opened.limiter,
        url: started.url,
        apiId: started.apiId,
        count: started.count,
        concurrency: started.concurrency,
      })
        .then(async (results) => {
          await opened.close();
          send({ type: 'done', results });
          process.disconnect();
        })
        .catch((error: unknown) => {
          send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
          process.exitCode = 1;
          process.disconnect();
        });
    },
    Math.max(0, message.startAt - Date.now()),
  );
});
