/** How many requests that start work one client may make in a window: sa3 serve --rate-limit 30/min. */
export interface RateLimit {
  readonly count: number;
  readonly windowMs: number;
  /** The window in a word: second, minute or hour. */
  readonly per: string;
  /** As given on the command line, for the sentences that quote it. */
  readonly text: string;
}

const SECOND = { per: 'second', windowMs: 1000 };
const MINUTE = { per: 'minute', windowMs: 60_000 };
const HOUR = { per: 'hour', windowMs: 3_600_000 };
const UNITS = new Map<string, { per: string; windowMs: number }>([
  ['s', SECOND],
  ['sec', SECOND],
  ['second', SECOND],
  ['m', MINUTE],
  ['min', MINUTE],
  ['minute', MINUTE],
  ['h', HOUR],
  ['hour', HOUR],
]);

/** Reads N/second, N/minute or N/hour (s, sec, m, min, h also); throws a RangeError naming the flag. */
export function parseRateLimit(text: string): RateLimit {
  const match = /^(\d+)\/([a-z]+)$/i.exec(text.trim());
  const count = match ? Number(match[1]) : NaN;
  const unit = match ? UNITS.get(match[2]!.toLowerCase()) : undefined;
  if (!Number.isSafeInteger(count) || count < 1 || unit === undefined)
    throw new RangeError(`--rate-limit must be N/second, N/minute or N/hour with N a whole number above 0, such as 30/min, got "${text}"`);
  return { count, ...unit, text: text.trim() };
}

/**
 * A sliding window per client: at most `count` requests in any `windowMs`. A refused request is not
 * counted, so a client that waits the time it is told gets in.
 */
export class RateLimiter {
  private readonly taken = new Map<string, number[]>();
  private lastSweep: number;

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSweep = now();
  }

  /** Counts one request of this client: 0 when it may go on, else the milliseconds until it may. */
  take(client: string): number {
    const now = this.now();
    const since = now - this.limit.windowMs;
    this.sweep(now, since);
    const times = this.taken.get(client) ?? [];
    while (times.length > 0 && times[0]! <= since) times.shift();
    if (times.length >= this.limit.count) return times[0]! - since;
    times.push(now);
    this.taken.set(client, times);
    return 0;
  }

  /** Clients heard from in the window (the others are forgotten). */
  get clients(): number {
    return this.taken.size;
  }

  /** Once a window, forgets the clients with nothing in it, so addresses seen once do not pile up. */
  private sweep(now: number, since: number): void {
    if (now - this.lastSweep < this.limit.windowMs) return;
    this.lastSweep = now;
    for (const [client, times] of this.taken) if (times[times.length - 1]! <= since) this.taken.delete(client);
  }
}
