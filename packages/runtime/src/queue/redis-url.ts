/** Where Redis is, as ioredis and BullMQ take it. */
export interface RedisAddress {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  /** The URL as given, without its password: for messages. */
  readonly display: string;
}

/** Reads redis://[user:password@]host[:port][/db]; throws one sentence naming the flag when it is not such a URL. */
export function parseRedisUrl(text: string, flag = '--redis'): RedisAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${flag} must be a URL such as redis://127.0.0.1:6379, got "${text}"`);
  }
  if (url.protocol !== 'redis:') throw new Error(`${flag} must be a redis:// URL such as redis://127.0.0.1:6379, got "${text}"`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw new Error(`${flag} names database "${dbText}", which is not a whole number`);
  return {
    host: url.hostname,
    port,
    db,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    display: `redis://${url.hostname}:${port}${db ? `/${db}` : ''}`,
  };
}

/** Connection options for BullMQ: blocking connections need maxRetriesPerRequest null. */
export function connectionOptions(address: RedisAddress, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { display: _display, ...rest } = address;
  return { ...rest, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(250 * times, 2000), ...extra };
}
