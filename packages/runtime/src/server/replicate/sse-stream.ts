import type { FastifyReply } from 'fastify';
import type { RunManager, RunRecord } from '../run-manager.js';
import { predictionStatus } from '../cog/prediction.js';
import { errorOf, logLines, outputOf, type OutputLink, type PredictionEntry } from './prediction-object.js';

type StreamEvent = 'output' | 'logs' | 'error' | 'done';

/** One event in the wire form both clients decode: event, id and data lines (one per line of data), then a blank line. */
export function sseEvent(event: StreamEvent, id: number, data: string): string {
  return `event: ${event}\nid: ${id}\n${data
    .split('\n')
    .map((line) => `data: ${line}\n`)
    .join('')}\n`;
}

/**
 * Streams a prediction as the hosted API's urls.stream does: its log lines as `logs` events
 * while it runs, then its `output` (or an `error`), then `done` ({} or {"reason": ...}), and
 * the stream ends. A prediction that is over is replayed at once.
 */
export function streamPrediction(reply: FastifyReply, runs: RunManager, entry: PredictionEntry, run: RunRecord, link: OutputLink | null): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let id = 0;
  let sentLines = 0;
  let closed = false;
  const write = (event: StreamEvent, data: string): void => {
    if (!closed) res.write(sseEvent(event, ++id, data));
  };
  const sendLogs = (): void => {
    const lines = logLines(run);
    for (; sentLines < lines.length; sentLines++) write('logs', lines[sentLines]!);
  };
  const unsubscribe = runs.subscribe(run.id, 0, sendLogs);
  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    res.end();
  };
  res.on('close', close);
  void run.done.then(async () => {
    sendLogs();
    const status = predictionStatus(run);
    if (status === 'succeeded') {
      const output = await outputOf(entry, run, link).catch(() => null);
      if (output !== null) write('output', output);
      write('done', '{}');
    } else if (status === 'failed') {
      write('error', errorOf(run) ?? 'the prediction failed');
      write('done', JSON.stringify({ reason: 'error' }));
    } else {
      write('done', JSON.stringify({ reason: 'canceled' }));
    }
    close();
  });
}
