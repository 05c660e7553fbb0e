import { catalogueModelListSchema, errorBodySchema, modelPullStateSchema, parsePayload, type CatalogueModel, type ModelPullState } from '@sa3/nodes';
import { authorizedFetch } from './authorized-fetch.js';

export type { CatalogueModel, ModelPullState } from '@sa3/nodes';

async function answer(response: Response, source: string): Promise<unknown> {
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw new Error(errorBodySchema.safeParse(body).data?.detail ?? `${source} answered ${response.status}`);
  return body;
}

const pullPath = (id: string): string => `/api/models/${encodeURIComponent(id)}/pull`;

/** The server's pack catalogue and the pulls it runs for the Models panel. */
export const modelPulls = {
  catalogue: async (): Promise<CatalogueModel[]> =>
    parsePayload(
      catalogueModelListSchema,
      await answer(await authorizedFetch('/api/models/catalogue'), 'GET /api/models/catalogue'),
      'GET /api/models/catalogue',
    ),
  start: async (id: string): Promise<ModelPullState> =>
    parsePayload(modelPullStateSchema, await answer(await authorizedFetch(pullPath(id), { method: 'POST' }), `POST ${pullPath(id)}`), `POST ${pullPath(id)}`),
  state: async (id: string): Promise<ModelPullState> =>
    parsePayload(modelPullStateSchema, await answer(await authorizedFetch(pullPath(id)), `GET ${pullPath(id)}`), `GET ${pullPath(id)}`),
  cancel: async (id: string): Promise<ModelPullState> =>
    parsePayload(
      modelPullStateSchema,
      await answer(await authorizedFetch(`${pullPath(id)}/cancel`, { method: 'POST' }), `POST ${pullPath(id)}/cancel`),
      `POST ${pullPath(id)}/cancel`,
    ),
};
