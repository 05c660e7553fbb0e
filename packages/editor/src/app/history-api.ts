import { deletedTakeSchema, errorBodySchema, historyPageSchema, parsePayload, takeDetailSchema, takeSchema, type PayloadSchema } from '@sa3/nodes';
import { authorizedFetch } from './authorized-fetch.js';

export type { HistoryPage, Take, TakeDetail, TakeOutput } from '@sa3/nodes';

async function read<T>(response: Response, schema: PayloadSchema<T>, source: string): Promise<T> {
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw new Error(errorBodySchema.safeParse(body).data?.detail ?? `${source} answered ${response.status}`);
  return parsePayload(schema, body, source);
}

const takePath = (id: string): string => `/api/history/${encodeURIComponent(id)}`;

/** The server's run history (takes), as the History panel uses it. */
export const historyApi = {
  page: async (cursor?: string) => {
    const path = `/api/history?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    return read(await authorizedFetch(path), historyPageSchema, `GET ${path}`);
  },
  detail: async (id: string) => read(await authorizedFetch(takePath(id)), takeDetailSchema, `GET ${takePath(id)}`),
  pin: async (id: string, pinned: boolean) =>
    read(
      await authorizedFetch(`${takePath(id)}/pin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pinned }) }),
      takeSchema,
      `POST ${takePath(id)}/pin`,
    ),
  remove: async (id: string) => read(await authorizedFetch(takePath(id), { method: 'DELETE' }), deletedTakeSchema, `DELETE ${takePath(id)}`),
  /** An output's bytes (links cannot carry the access token). */
  blob: async (url: string) => {
    const response = await authorizedFetch(url);
    if (!response.ok)
      throw new Error(errorBodySchema.safeParse(await response.json().catch(() => undefined)).data?.detail ?? `the file answered ${response.status}`);
    return response.blob();
  },
};
