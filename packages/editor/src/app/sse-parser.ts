/** One dispatched Server-Sent Event. */
export interface SseMessage {
  readonly event: string;
  readonly data: string;
  readonly id: string;
}

/**
 * The text/event-stream format as the WHATWG spec parses it: lines end in CRLF, LF or CR;
 * a blank line dispatches; `:` lines are comments; `data` lines join with LF; `id` persists
 * across events (the Last-Event-ID to resume from); `retry` sets the reconnection delay.
 * Chunks may split anywhere, even between CR and LF.
 */
export class SseParser {
  /** The last `id` the server sent, kept across events and connections. */
  lastEventId: string;
  /** The reconnection delay the server asked for, in ms. */
  retryMs: number | undefined;
  private pending = '';
  private skipLineFeed = false;
  private event = '';
  private data: string[] = [];
  private idBuffer: string;

  constructor(lastEventId = '') {
    this.lastEventId = lastEventId;
    this.idBuffer = lastEventId;
  }

  /** Feeds decoded text; answers the events it completed. */
  push(text: string): SseMessage[] {
    const out: SseMessage[] = [];
    let start = 0;
    if (this.skipLineFeed && text.startsWith('\n')) start = 1;
    this.skipLineFeed = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (c !== '\n' && c !== '\r') continue;
      this.line(this.pending + text.slice(start, i), out);
      this.pending = '';
      if (c === '\r') {
        if (i + 1 === text.length) this.skipLineFeed = true;
        else if (text[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    this.pending += text.slice(start);
    return out;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') return this.dispatch(out);
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.idBuffer = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }

  private dispatch(out: SseMessage[]): void {
    this.lastEventId = this.idBuffer;
    if (this.data.length > 0) out.push({ event: this.event || 'message', data: this.data.join('\n'), id: this.lastEventId });
    this.event = '';
    this.data = [];
  }
}
