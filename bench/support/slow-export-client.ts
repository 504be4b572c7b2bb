/**
 * Bench client (a process of its own, so it never shares the server's or the bench's event loop):
 * opens N downloads of a CSV at once, each from its own client address (X-Forwarded-For) and with
 * one of the given people's session cookies in turn, and
 * reads every admitted one slowly, at `bytesPerSecond`, like a browser on a poor link. Reports to
 * its parent over IPC: `{ type: 'opened', statuses }` once every response has its headers, then
 * `{ type: 'progress', bytes }` whenever asked, and closes everything on 'stop'.
 */
import http from 'node:http';

interface Payload {
  url: string;
  count: number;
  bytesPerSecond: number;
  /** Session cookies, one per person; download i uses cookie i mod their number. */
  cookies: string[];
}

const { url, count, bytesPerSecond, cookies } = JSON.parse(process.env.WASHBOARD_SLOW_CLIENT ?? '{}') as Payload;
const target = new URL(url);
const statuses: number[] = [];
const bytes: number[] = [];
const requests: http.ClientRequest[] = [];

for (let i = 0; i < count; i++) {
  bytes.push(0);
  const req = http.get(
    {
      host: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      agent: false,
      headers: { 'X-Forwarded-For': `10.13.${Math.floor(i / 250)}.${(i % 250) + 1}`, Cookie: cookies[i % cookies.length] ?? '' },
    },
    (res) => {
      statuses.push(res.statusCode ?? 0);
      if (statuses.length === count) process.send!({ type: 'opened', statuses });
      if (res.statusCode !== 200) {
        res.resume();
        return;
      }
      // Take a chunk, then wait as long as that chunk takes at the slow rate before the next.
      res.on('data', (chunk: Buffer) => {
        bytes[i]! += chunk.length;
        res.pause();
        setTimeout(() => res.resume(), (chunk.length / bytesPerSecond) * 1000);
      });
      res.on('error', () => {});
    },
  );
  req.on('error', () => {
    statuses.push(-1);
    if (statuses.length === count) process.send!({ type: 'opened', statuses });
  });
  requests.push(req);
}

process.on('message', (message) => {
  if (message === 'progress') process.send!({ type: 'progress', bytes });
  if (message === 'stop') {
    for (const req of requests) req.destroy();
    process.send!({ type: 'stopped' }, () => process.exit(0));
  }
});
