import { createWriteStream, createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes, randomInt } from 'node:crypto';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import {
  batchWorkflows,
  nodeCatalogue,
  SEED_MAX,
  type CatalogueNode,
  type ErrorBody,
  type ModelEntry,
  type RunBatch,
  type RunState,
  type UploadReceipt,
} from '@sa3/nodes';
import { loadWorkflow } from '../../workflow/index.js';
import { autoPreference, type PackLocator } from '../../store/index.js';
import type { WorkerModel } from '../../queue/index.js';
import { AtCapacityError, ShuttingDownError, type RunManager } from '../run-manager.js';
import { streamRunEvents } from './sse.js';
import { formatBytes, holdTempPath, releaseTempPath, uploadPartialName } from '../../files/index.js';
import { refuse } from './error-reply.js';
import { overridesFrom } from './overrides-body.js';
import { runStateOf } from './run-state.js';
import { catalogueNodeOf } from './catalogue-node.js';
import { registerJsonBodyParser } from './json-body.js';
import { registerLoraRoutes } from './lora-routes.js';
import { priorityFrom } from './priority-body.js';
import { repeatFrom } from './repeat-body.js';

export interface WorkflowRoutesOptions {
  readonly runs: RunManager;
  readonly uploadDir: string;
  readonly uploadLimitBytes: number;
  readonly locator: PackLocator;
  /** With --redis: the packs the live workers have, which are the ones runs can use (the server's own run nothing). */
  readonly workerModels?: () => Promise<readonly WorkerModel[]>;
}

/** Runs of whole workflows for the editor and scripts, their events over SSE, outputs and uploads. */
export function registerWorkflowRoutes(app: FastifyInstance, options: WorkflowRoutesOptions): void {
  const { runs } = options;
  // Registered on the server itself, so the depth check covers every JSON body, the Cog routes' too.
  registerJsonBodyParser(app);

  app.get<{ Reply: CatalogueNode[] }>('/api/nodes', () => nodeCatalogue.map(catalogueNodeOf));

  app.get<{ Reply: ModelEntry[] }>('/api/models', async () => {
    if (options.workerModels) {
      const models = await options.workerModels().catch(() => []);
      const auto = autoPreference.find((id) => models.some((m) => m.id === id)) ?? models[0]?.id;
      return models.map((m) => ({ ...m, auto: m.id === auto }));
    }
    const packs = await options.locator.list().catch(() => []);
    const auto = await options.locator.resolve('auto').then(
      (p) => p.manifest.id,
      () => undefined,
    );
    return packs.map((p) => ({
      id: p.manifest.id,
      title: p.manifest.title,
      objective: p.manifest.objective,
      maxSeconds: p.manifest.maxSamples / 44_100,
      auto: p.manifest.id === auto,
    }));
  });

  registerLoraRoutes(app);

  app.post<{ Reply: RunState | RunBatch | ErrorBody }>('/api/runs', async (req, reply) => {
    const body = req.body as { workflow?: unknown; overrides?: unknown; repeat?: unknown; priority?: unknown } | null;
    if (!body || typeof body !== 'object' || body.workflow === undefined)
      return refuse(
        reply,
        422,
        'the body must be { "workflow": <workflow JSON>, "overrides"?: { "node.param": value }, "repeat"?: 1..16, "priority"?: "interactive" | "batch" }',
      );
    const overrides = overridesFrom(body.overrides);
    if (typeof overrides === 'string') return refuse(reply, 422, overrides);
    const repeat = repeatFrom(body.repeat);
    if (typeof repeat === 'string') return refuse(reply, 422, repeat);
    const priority = priorityFrom(body.priority);
    if ('error' in priority) return refuse(reply, 422, priority.error);
    const text = typeof body.workflow === 'string' ? body.workflow : JSON.stringify(body.workflow);
    const loaded = loadWorkflow(text, { overrides });
    if (loaded.problems.length > 0) return refuse(reply, 422, `the workflow has ${loaded.problems.length} problem(s)`, loaded.problems);
    try {
      const named = { ...(loaded.workflow!.name ? { workflowName: loaded.workflow!.name } : {}), ...priority };
      if (repeat !== undefined) {
        const batch = runs.submitMany(
          batchWorkflows(loaded.workflow!, repeat, () => randomInt(0, SEED_MAX + 1)),
          named,
        );
        return reply.code(202).send({ runs: batch.map(runStateOf) });
      }
      const run = runs.submit(loaded.workflow!, named);
      return reply.code(202).send(runStateOf(run));
    } catch (error) {
      if (error instanceof AtCapacityError) return refuse(reply, 409, error.message);
      if (error instanceof ShuttingDownError) return refuse(reply, 503, error.message);
      throw error;
    }
  });

  app.get<{ Reply: RunState[] }>('/api/runs', () => runs.list().map(runStateOf));

  app.get<{ Params: { id: string }; Reply: RunState | ErrorBody }>('/api/runs/:id', async (req, reply) => {
    const run = runs.get(req.params.id);
    return run ? runStateOf(run) : refuse(reply, 404, `there is no run "${req.params.id}"`);
  });

  app.get<{ Params: { id: string }; Reply: ErrorBody }>('/api/runs/:id/events', async (req, reply) => {
    if (!runs.get(req.params.id)) return refuse(reply, 404, `there is no run "${req.params.id}"`);
    streamRunEvents(req, reply, runs, req.params.id);
    return reply;
  });

  app.post<{ Params: { id: string }; Reply: RunState | ErrorBody }>('/api/runs/:id/cancel', async (req, reply) => {
    const run = runs.cancel(req.params.id);
    return run ? runStateOf(run) : refuse(reply, 404, `there is no run "${req.params.id}"`);
  });

  app.get<{ Params: { id: string; '*': string } }>('/api/runs/:id/outputs/*', async (req, reply) => {
    const run = runs.get(req.params.id);
    if (!run) return refuse(reply, 404, `there is no run "${req.params.id}"`);
    const root = resolve(run.outDir);
    const target = resolve(root, req.params['*']);
    // Only files this run wrote, never anything else on disk.
    const output = run.report?.outputs.find((o) => resolve(o.absolutePath) === target);
    if (!target.startsWith(root + sep) || !output) return refuse(reply, 404, `run ${run.id} has no output "${req.params['*']}"`);
    const info = await stat(target);
    return reply
      .header('content-type', output.mime)
      .header('content-length', info.size)
      .header('content-disposition', `attachment; filename="${target.split(sep).pop()}"`)
      .send(createReadStream(target));
  });

  app.register((scope, _options, done) => {
    // Uploads stream to disk: the raw body is never held in memory.
    scope.addContentTypeParser('*', { bodyLimit: options.uploadLimitBytes }, (_req, payload, done) => done(null, payload));
    scope.post('/api/uploads', { bodyLimit: options.uploadLimitBytes }, async (req, reply) => {
      const name = String((req.query as Record<string, string | undefined>).name ?? 'audio');
      const extension = extname(name)
        .toLowerCase()
        .replace(/[^.a-z0-9]/g, '')
        .slice(0, 6);
      const id = `${randomBytes(8).toString('hex')}${extension}`;
      await mkdir(options.uploadDir, { recursive: true });
      // Named with this process's pid, so a partial upload a killed server left is removed by the next one.
      const temp = join(options.uploadDir, uploadPartialName(id));
      holdTempPath(temp);
      let bytes = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          if (bytes > options.uploadLimitBytes)
            callback(Object.assign(new Error(`the upload is larger than the ${formatBytes(options.uploadLimitBytes)} limit`), { statusCode: 413 }));
          else callback(null, chunk);
        },
      });
      try {
        await pipeline(req.body as NodeJS.ReadableStream, limit, createWriteStream(temp));
      } catch (error) {
        await rm(temp, { force: true });
        releaseTempPath(temp);
        const status = (error as { statusCode?: number }).statusCode ?? 400;
        return refuse(reply, status, status === 413 ? (error as Error).message : `the upload was interrupted: ${(error as Error).message}`);
      }
      if (bytes === 0) {
        await rm(temp, { force: true });
        releaseTempPath(temp);
        return refuse(reply, 422, 'the upload is empty');
      }
      await rename(temp, join(options.uploadDir, id));
      releaseTempPath(temp);
      const receipt: UploadReceipt = { id: `upload:${id}`, bytes };
      return reply.code(201).send(receipt);
    });
    done();
  });
}
