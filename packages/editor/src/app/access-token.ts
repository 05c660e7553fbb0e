/** The server's access token (`sa3 serve --token`), kept for this tab only. */
const KEY = 'sa3-editor:access-token';

type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

/** Session storage where the browser allows it, memory where it does not. */
export function createTokenStore(storage: TokenStorage | null): TokenStore {
  let memory: string | null = null;
  return {
    get() {
      try {
        return storage?.getItem(KEY) ?? memory;
      } catch {
        return memory;
      }
    },
    set(token) {
      memory = token;
      try {
        storage?.setItem(KEY, token);
      } catch {
        /* the memory copy lasts until the page is closed */
      }
    },
    clear() {
      memory = null;
      try {
        storage?.removeItem(KEY);
      } catch {
        /* nothing was stored */
      }
    },
  };
}

export interface AddressBar {
  readonly location: Pick<Location, 'pathname' | 'search' | 'hash'>;
  readonly history: Pick<History, 'replaceState' | 'state'>;
}

/**
 * Moves `#token=T` (the URL `sa3 serve` prints) into the store and off the address bar, so
 * the token is not bookmarked or shared with a copied link. Other fragment parts stay.
 */
export function takeTokenFromAddress(bar: AddressBar, store: TokenStore): string | null {
  const parts = bar.location.hash.replace(/^#/, '').split('&');
  const index = parts.findIndex((part) => part.startsWith('token='));
  if (index < 0) return null;
  const raw = parts.splice(index, 1)[0]!.slice('token='.length);
  const rest = parts.filter((part) => part !== '').join('&');
  bar.history.replaceState(bar.history.state, '', `${bar.location.pathname}${bar.location.search}${rest ? `#${rest}` : ''}`);
  let token = raw;
  try {
    token = decodeURIComponent(raw);
  } catch {
    /* not percent-encoded after all: taken as typed */
  }
  if (token === '') return null;
  store.set(token);
  return token;
}

function sessionStore(): TokenStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

export const accessToken = createTokenStore(sessionStore());
