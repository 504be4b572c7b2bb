/**
 * Getting the report generators' chunks somewhere: a Node Writable (the CLI, files) or a web
 * ReadableStream (route handlers). Both honour backpressure: no chunk is produced before the
 * consumer has room for it, so a slow download never buffers the whole report in memory.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes chunks to a Node stream, waiting for 'drain' whenever its buffer is full. */
export async function writeChunks<R>(chunks: Iterator<string, R>, out: Writable | NodeJS.WritableStream): Promise<R> {
  for (;;) {
    const next = chunks.next();
    if (next.done) return next.value;
    if (!out.write(next.value)) await once(out as Writable, 'drain');
  }
}

/**
 * A byte stream pulling one chunk per read. `onClose` runs exactly once, whether the reader
 * finished, cancelled (client went away) or the generator threw, so the caller can release what it
 * opened (e.g. a read connection).
 */
export function chunksToReadableStream(chunks: Iterator<string, unknown>, onClose: () => void = () => {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    try {
      chunks.return?.(undefined);
    } finally {
      onClose();
    }
  };
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        try {
          const next = chunks.next();
          if (next.done) {
            close();
            controller.close();
          } else {
            controller.enqueue(encoder.encode(next.value));
          }
        } catch (error) {
          close();
          controller.error(error);
        }
      },
      cancel() {
        close();
      },
    },
    // One chunk queued ahead: the next SQLite read happens only when the client has taken the last.
    { highWaterMark: 1 },
  );
}
