/** One Server-Sent Event as it came over the wire: its fields, not yet interpreted. */
export interface RawSseEvent {
  readonly id: string;
  readonly event: string;
  readonly data: string;
}

function parseBlock(block: string): RawSseEvent | null {
  const fields = new Map<string, string>();
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || !line.includes(': ')) continue;
    const colon = line.indexOf(': ');
    fields.set(line.slice(0, colon), line.slice(colon + 2));
  }
  return fields.has('data') ? { id: fields.get('id') ?? '', event: fields.get('event') ?? 'message', data: fields.get('data')! } : null;
}

/** Yields each event of a text/event-stream response as it arrives, until the server ends it. */
export async function* sseEvents(response: Response): AsyncGenerator<RawSseEvent> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let split: number;
    while ((split = buffer.indexOf('\n\n')) >= 0) {
      const event = parseBlock(buffer.slice(0, split));
      buffer = buffer.slice(split + 2);
      if (event) yield event;
    }
  }
  const last = parseBlock(buffer);
  if (last) yield last;
}

/** Reads a whole text/event-stream response until the server ends it. */
export async function readSse(response: Response): Promise<RawSseEvent[]> {
  const events: RawSseEvent[] = [];
  for await (const event of sseEvents(response)) events.push(event);
  return events;
}
