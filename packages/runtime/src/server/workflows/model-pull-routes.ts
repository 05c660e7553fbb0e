import type { FastifyInstance } from 'fastify';
import type { CatalogueModel, ErrorBody, ModelPullState } from '@sa3/nodes';
import { CATALOGUE, entryBytes } from '../../catalogue/index.js';
import { pullPack, type PullEvent } from '../../hub/index.js';
import type { PackLocator } from '../../store/index.js';
import { refuse } from './error-reply.js';

export interface ModelPullRoutesOptions {
  readonly locator: PackLocator;
  /** SA3_HOME as the server started with it: pulls install into its packs/. */
  readonly home: string;
}

interface Pull {
  state: ModelPullState;
  readonly controller: AbortController;
  /** Bytes already on disk when the plan was made, and what each file had when its download began. */
  onDisk: number;
  readonly resumedFrom: Map<string, number>;
  readonly fetched: Map<string, number>;
}

function fileName(path: string): string {
  return path.split('/').pop() ?? path;
}

/** Folds one event of `sa3 models pull` into the state the editor polls. */
function advance(pull: Pull, event: PullEvent): void {
  const bytesDone = (): number => pull.onDisk + [...pull.fetched.values()].reduce((a, b) => a + b, 0);
  const s = pull.state;
  switch (event.type) {
    case 'waiting':
      pull.state = { ...s, phase: 'waiting for another pull of this pack' };
      return;
    case 'plan':
      pull.onDisk = event.bytesOnDisk;
      pull.state = { ...s, phase: 'starting', bytesDone: event.bytesOnDisk, bytesTotal: event.bytes };
      return;
    case 'file':
      pull.resumedFrom.set(event.path, event.resumeFrom);
      pull.state = { ...s, phase: `downloading ${fileName(event.path)}`, done: event.resumeFrom, total: event.bytes };
      return;
    case 'progress':
      pull.fetched.set(event.path, event.done - (pull.resumedFrom.get(event.path) ?? 0));
      pull.state = { ...s, done: event.done, total: event.total, bytesDone: bytesDone() };
      return;
    case 'retry':
      pull.state = { ...s, phase: `downloading ${fileName(event.path)} again (attempt ${event.attempt}): ${event.reason}` };
      return;
    case 'verified':
      pull.state = { ...s, phase: `verified ${fileName(event.path)}`, bytesDone: bytesDone() };
      return;
    case 'converting':
      pull.state = { ...s, phase: 'converting', done: 0, total: 0 };
      return;
    case 'convert-progress':
      pull.state = { ...s, phase: `converting ${event.part}`, done: event.done, total: event.total };
      return;
    case 'installed':
    case 'already-installed':
      pull.state = { ...s, status: 'installed', phase: event.type === 'installed' ? 'installed' : 'already installed', bytesDone: s.bytesTotal };
      return;
    case 'checkpoint-removed':
    case 'checkpoint-kept':
      return;
  }
}

/**
 * Pulls started from the editor's Models panel, with the code `sa3 models pull` runs: POST
 * starts one (or answers the one under way), GET polls its state until it has ended.
 */
export function registerModelPullRoutes(app: FastifyInstance, options: ModelPullRoutesOptions): void {
  const pulls = new Map<string, Pull>();
  app.addHook('onClose', (_instance, done) => {
    for (const pull of pulls.values()) pull.controller.abort();
    done();
  });

  app.get<{ Reply: CatalogueModel[] }>('/api/models/catalogue', async () => {
    const installed = new Set((await options.locator.list().catch(() => [])).map((p) => p.manifest.id));
    return CATALOGUE.map((entry) => {
      const kind = entry.availability.kind;
      const status = installed.has(entry.id) ? 'installed' : kind === 'pullable' || kind === 'convertible' ? kind : 'unavailable';
      return {
        id: entry.id,
        title: entry.title,
        status,
        ...(status === 'unavailable' && 'reason' in entry.availability ? { reason: entry.availability.reason } : {}),
        approxBytes: entryBytes(entry),
        maxSeconds: entry.maxSamples / 44_100,
      };
    });
  });

  app.post<{ Params: { id: string }; Reply: ModelPullState | ErrorBody }>('/api/models/:id/pull', async (req, reply) => {
    const { id } = req.params;
    const entry = CATALOGUE.find((e) => e.id === id);
    if (!entry) return refuse(reply, 404, `"${id}" is not a pack sa3 knows; the known packs are ${CATALOGUE.map((e) => e.id).join(', ')}`);
    const current = pulls.get(id);
    if (current?.state.status === 'running') return reply.code(202).send(current.state);
    const pull: Pull = {
      state: { id, status: 'running', phase: 'asking the hub', done: 0, total: 0, bytesDone: 0, bytesTotal: entryBytes(entry) },
      controller: new AbortController(),
      onDisk: 0,
      resumedFrom: new Map(),
      fetched: new Map(),
    };
    pulls.set(id, pull);
    pullPack(id, { home: options.home, signal: pull.controller.signal, onEvent: (event) => advance(pull, event) }).then(
      () => {
        if (pull.state.status === 'running') pull.state = { ...pull.state, status: 'installed', phase: 'installed' };
      },
      (error: Error) => {
        pull.state = pull.controller.signal.aborted
          ? { ...pull.state, status: 'cancelled', phase: 'cancelled', message: 'the pull was cancelled; pulling again resumes where it stopped' }
          : { ...pull.state, status: 'failed', phase: 'failed', message: error.message };
      },
    );
    return reply.code(202).send(pull.state);
  });

  app.get<{ Params: { id: string }; Reply: ModelPullState | ErrorBody }>('/api/models/:id/pull', async (req, reply) => {
    const pull = pulls.get(req.params.id);
    return pull ? pull.state : refuse(reply, 404, `no pull of "${req.params.id}" was started on this server`);
  });

  app.post<{ Params: { id: string }; Reply: ModelPullState | ErrorBody }>('/api/models/:id/pull/cancel', async (req, reply) => {
    const pull = pulls.get(req.params.id);
    if (!pull) return refuse(reply, 404, `no pull of "${req.params.id}" was started on this server`);
    pull.controller.abort();
    return pull.state;
  });
}
