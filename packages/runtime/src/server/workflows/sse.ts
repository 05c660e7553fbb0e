import type { FastifyReply, FastifyRequest } from 'fastify';
import { isFinalRunEvent } from '@sa3/nodes';
import type { RunEvent } from '../../executor/index.js';
import type { RunManager } from '../run-manager.js';
import { servedEvent } from '../served-report.js';

/**
 * The seq a client last saw, from Last-Event-ID (or ?lastEventId=): a whole number of 0 or more;
 * anything else (garbage, negative, fractional) replays from the start.
 */
export function lastSeenSeq(header: string | string[] | undefined, query: string | undefined): number {
  const text = (Array.isArray(header) ? header[0] : header) ?? query ?? '';
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : 0;
}

/**
 * Streams a run's events as Server-Sent Events: `id` is the event's seq, so a client that
 * reconnects with Last-Event-ID gets exactly the events it missed. The stream ends after the
 * run's last event, and at once for a run that is over, whatever Last-Event-ID says (past the
 * end, garbage or negative): what is after it is replayed, then the stream closes.
 */
export function streamRunEvents(req: FastifyRequest, reply: FastifyReply, runs: RunManager, id: string): void {
  const after = lastSeenSeq(req.headers['last-event-id'], (req.query as Record<string, string | undefined>).lastEventId);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(': sa3 run events\n\n');
  const run = runs.get(id)!;
  let closed = false;
  const send = (event: RunEvent): void => {
    if (closed) return;
    res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(servedEvent(event))}\n\n`);
    if (isFinalRunEvent(event)) finish();
  };
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const finish = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe?.();
    res.end();
  };
  // Replaying a final event finishes the stream before subscribe() has returned.
  let unsubscribe: (() => void) | undefined = undefined;
  unsubscribe = runs.subscribe(id, after, send);
  if (closed) unsubscribe();
  // A run that is over has nothing more to say, once what came after Last-Event-ID is replayed.
  if (!closed && (run.finishedAt || run.events.some(isFinalRunEvent))) finish();
  res.on('close', finish);
}
