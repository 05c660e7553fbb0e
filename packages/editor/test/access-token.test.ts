import { describe, expect, it } from 'vitest';
import { createTokenStore, takeTokenFromAddress, type AddressBar } from '../src/app/access-token.js';

function addressBar(hash: string): AddressBar & { url: string | null } {
  const bar = {
    url: null as string | null,
    location: { pathname: '/', search: '?x=1', hash },
    history: { state: null, replaceState: (_state: unknown, _title: string, url?: string | URL | null) => void (bar.url = String(url)) },
  };
  return bar;
}

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  } as Storage;
}

describe('the access token in the URL fragment', () => {
  it('takes #token=T into the store and off the address bar', () => {
    const store = createTokenStore(memoryStorage());
    const bar = addressBar('#token=s3cr%2Bt');
    expect(takeTokenFromAddress(bar, store)).toBe('s3cr+t');
    expect(store.get()).toBe('s3cr+t');
    expect(bar.url).toBe('/?x=1');
  });

  it('keeps the rest of the fragment', () => {
    const store = createTokenStore(memoryStorage());
    const bar = addressBar('#view=graph&token=abc&zoom=2');
    expect(takeTokenFromAddress(bar, store)).toBe('abc');
    expect(bar.url).toBe('/?x=1#view=graph&zoom=2');
  });

  it('leaves the address and the stored token alone when the fragment has none', () => {
    const store = createTokenStore(memoryStorage());
    store.set('earlier');
    const bar = addressBar('#view=graph');
    expect(takeTokenFromAddress(bar, store)).toBeNull();
    expect(bar.url).toBeNull();
    expect(store.get()).toBe('earlier');
  });

  it('replaces a stored token with the one in a newer URL, and clears an empty one from the address bar', () => {
    const store = createTokenStore(memoryStorage());
    store.set('old');
    expect(takeTokenFromAddress(addressBar('#token=new'), store)).toBe('new');
    expect(store.get()).toBe('new');
    const empty = addressBar('#token=');
    expect(takeTokenFromAddress(empty, store)).toBeNull();
    expect(empty.url).toBe('/?x=1');
    expect(store.get()).toBe('new');
  });

  it('keeps the token in memory where storage refuses it', () => {
    const refusing = {
      getItem: () => null,
      setItem: () => {
        throw new Error('disabled');
      },
      removeItem: () => undefined,
    };
    const store = createTokenStore(refusing);
    store.set('t');
    expect(store.get()).toBe('t');
    expect(createTokenStore(null).get()).toBeNull();
  });
});
