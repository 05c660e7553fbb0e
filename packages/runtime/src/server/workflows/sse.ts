import type { FastifyReply, FastifyRequest } from 'fastify';
import { isFinalRunEvent } from '@sa3/nodes';
import type { RunEvent } from '../../executor/index.js';
import type { RunManager } from '../run-manager.js';

/**
 * Streams a run's events as Server-Sent Events: `id` is the event's seq, so a client that
 * reconnects with Last-Event-ID gets exactly the events it missed. The stream ends after the
 * run's last event.
 */
export function streamRunEvents(req: FastifyRequest, reply: FastifyReply, runs: RunManager, id: string): void {
  const header = req.headers['last-event-id'];
  const query = (req.query as Record<string, string | undefined>).lastEventId;
  const after = Number(header ?? query ?? 0) || 0;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(': sa3 run events\n\n');
  const run = runs.get(id)!;
  let closed = false;
  const send = (event: RunEvent): void => {
    if (closed) return;
    res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
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
  // A run that ended without a final event has nothing more to say.
  if (!closed && run.finishedAt && !run.events.some(isFinalRunEvent)) finish();
  res.on('close', finish);
}
