import { accessToken } from './access-token.js';

/** A fetch that sends `Authorization: Bearer <token>` when there is a token, and reports 401s. */
export function authorizingFetch(token: () => string | null, base: typeof fetch, refused: () => void): typeof fetch {
  return async (input, init = {}) => {
    const value = token();
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    if (value) headers.set('authorization', `Bearer ${value}`);
    const response = await base(input, { ...init, headers });
    if (response.status === 401) refused();
    return response;
  };
}

const refusals = new Set<() => void>();

/** Called whenever the server answers 401: the token is missing or not the one it was started with. */
export function onUnauthorized(listener: () => void): () => void {
  refusals.add(listener);
  return () => refusals.delete(listener);
}

/** The one fetch the app talks to its server with. */
export const authorizedFetch = authorizingFetch(
  () => accessToken.get(),
  (input, init) => fetch(input, init),
  () => {
    for (const listener of refusals) listener();
  },
);
