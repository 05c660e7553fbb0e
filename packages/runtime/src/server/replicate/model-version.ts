import { stat } from 'node:fs/promises';
import { sha256Hex, stableStringify } from '../../files/index.js';
import type { LocatedPack, PackLocator } from '../../store/index.js';
import { predictionInputSchema, predictionOutputSchema } from '../cog/input-schema.js';

/** A model version as the hosted API describes one. */
export interface VersionObject {
  readonly id: string;
  readonly created_at: string;
  readonly cog_version: string;
  readonly openapi_schema: Record<string, unknown>;
}

/** The Cog release whose protocol the server speaks, reported as the version's cog_version. */
const COG_VERSION = '0.14.0';

export function versionSchema(): Record<string, unknown> {
  return {
    openapi: '3.0.2',
    info: { title: 'Cog', version: '0.1.0' },
    paths: {},
    components: {
      schemas: {
        Input: predictionInputSchema(),
        Output: predictionOutputSchema(),
        Status: { type: 'string', enum: ['starting', 'processing', 'succeeded', 'canceled', 'failed'], title: 'Status' },
        WebhookEvent: { type: 'string', enum: ['start', 'output', 'logs', 'completed'], title: 'WebhookEvent' },
      },
    },
  };
}

/**
 * The one version this server runs: its id is the sha256 of the pack that runs it (its manifest,
 * which lists every file's sha256) and of the schema, so it stays the same across restarts and
 * changes when either does. Without a pack installed it is derived from the schema alone.
 */
export async function currentVersion(locator: PackLocator): Promise<VersionObject> {
  const pack: LocatedPack | null = await locator.resolve('auto').catch(() => null);
  const schema = versionSchema();
  const id = sha256Hex(stableStringify({ pack: pack?.manifest ?? null, schema }));
  const made = pack
    ? await stat(pack.dir).then(
        (s) => s.mtime,
        () => null,
      )
    : null;
  return { id, created_at: (made ?? new Date(0)).toISOString(), cog_version: COG_VERSION, openapi_schema: schema };
}

/** The model as GET /v1/models/{owner}/{name} answers it. */
export function modelObject(name: string, version: VersionObject, runCount: number, base: string): Record<string, unknown> {
  const [owner, model] = name.split('/') as [string, string];
  return {
    url: `${base}/v1/models/${name}`,
    owner,
    name: model,
    description: 'Stable Audio 3: text to audio, audio to audio, inpainting and continuation, run locally by sa3-workflows.',
    visibility: 'public',
    is_official: false,
    github_url: null,
    paper_url: null,
    license_url: null,
    run_count: runCount,
    cover_image_url: null,
    default_example: null,
    latest_version: version,
  };
}
