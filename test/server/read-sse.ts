/** One Server-Sent Event as it came over the wire: its fields, not yet interpreted. */
export interface RawSseEvent {
  readonly id: string;
  readonly event: string;
  readonly data: string;
}

/** Reads a whole text/event-stream response until the server ends it. */
export async function readSse(response: Response): Promise<RawSseEvent[]> {
  const text = await response.text();
  const events: RawSseEvent[] = [];
  for (const block of text.split('\n\n')) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || !line.includes(': ')) continue;
      const colon = line.indexOf(': ');
      fields.set(line.slice(0, colon), line.slice(colon + 2));
    }
    if (fields.has('data')) events.push({ id: fields.get('id') ?? '', event: fields.get('event') ?? 'message', data: fields.get('data')! });
  }
  return events;
}
