import { describe, expect, it } from 'vitest';
import { SseParser } from '../src/app/sse-parser.js';

describe('the Server-Sent Events parser', () => {
  it('dispatches on a blank line with the event name, data and id', () => {
    const parser = new SseParser();
    expect(parser.push('id: 1\nevent: node-start\ndata: {"node":"gen"}\n\n')).toEqual([{ event: 'node-start', data: '{"node":"gen"}', id: '1' }]);
    expect(parser.lastEventId).toBe('1');
  });

  it('joins multi-line data with line feeds and names unnamed events "message"', () => {
    expect(new SseParser().push('data: first\ndata:second\ndata:  third\n\n')).toEqual([{ event: 'message', data: 'first\nsecond\n third', id: '' }]);
  });

  it('ignores comments and heartbeats, and blank lines with no data', () => {
    const parser = new SseParser();
    expect(parser.push(': sa3 run events\n\n: keep-alive\n\n\n')).toEqual([]);
    expect(parser.push('data: x\n: in the middle\n\n')).toEqual([{ event: 'message', data: 'x', id: '' }]);
  });

  it('keeps the id for later events and reconnection until the server sends another', () => {
    const parser = new SseParser();
    const events = parser.push('id: 7\ndata: a\n\ndata: b\n\nid: 8\nevent: run-done\ndata: c\n\n');
    expect(events.map((e) => e.id)).toEqual(['7', '7', '8']);
    expect(parser.lastEventId).toBe('8');
  });

  it('reassembles lines split across chunks, including a CRLF split between its two halves', () => {
    const parser = new SseParser();
    const text = 'id: 3\r\nevent: node-progress\r\ndata: {"step":2}\r\n\r\nid: 4\rdata: last\r\r';
    const out = [];
    for (let i = 0; i < text.length; i += 3) out.push(...parser.push(text.slice(i, i + 3)));
    expect(out).toEqual([
      { event: 'node-progress', data: '{"step":2}', id: '3' },
      { event: 'message', data: 'last', id: '4' },
    ]);
  });

  it('leaves an event without its blank line undispatched, and takes retry and field-only lines', () => {
    const parser = new SseParser('5');
    expect(parser.push('retry: 250\ndata\n\ndata: cut off')).toEqual([{ event: 'message', data: '', id: '5' }]);
    expect(parser.retryMs).toBe(250);
  });

  it('refuses an id with a NUL and a retry that is not a number', () => {
    const parser = new SseParser();
    expect(parser.push('id: 2\n\nid: a\0b\nretry: soon\ndata: x\n\n')).toEqual([{ event: 'message', data: 'x', id: '2' }]);
    expect(parser.retryMs).toBeUndefined();
  });
});
