import type { RunEvent } from '../executor/index.js';

/**
 * The events of a job as the server passes them on. A stalled job run again on another worker
 * starts its events over, and its cache may differ (a node cached there ran here), so sequence
 * numbers cannot tell what was already told: each event is known by what it says (type, node,
 * phase, step) and by how many times the same thing was said before in its attempt (a loop node
 * samples twice). Passed-on events are numbered by the server.
 */
export class ToldEvents {
  private readonly told = new Set<string>();
  private seen = new Map<string, number>();
  private attemptSeq = 0;
  count = 0;

  /** The event renumbered when it is news, else null. */
  fresh(event: RunEvent): RunEvent | null {
    if (event.seq <= this.attemptSeq) this.seen = new Map(); // a new attempt starts its numbering over
    this.attemptSeq = event.seq;
    const what = identity(event);
    const nth = (this.seen.get(what) ?? 0) + 1;
    this.seen.set(what, nth);
    const key = `${what}#${nth}`;
    if (this.told.has(key)) return null;
    this.told.add(key);
    return { ...event, seq: ++this.count };
  }
}

function identity(event: RunEvent): string {
  const fields = event as { node?: string; phase?: string; step?: number };
  return [event.type, fields.node ?? '', fields.phase ?? '', fields.step ?? ''].join('\u0000');
}
