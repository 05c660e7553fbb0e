import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { createRuntime } from '../host/index.js';
import { PackLocator, sa3Home } from '../store/index.js';
import { registerCogRoutes } from './cog/routes.js';
import type { SetupState } from './cog/health.js';
import { RunManager } from './run-manager.js';
import { examplesDir, type ServerOptions } from './server-options.js';
import { formatBytes, removeStaleLeftovers, uncaughtFsErrorSentence } from '../files/index.js';
import { RunJournal } from './run-journal.js';
import { RunStore, runsMaxBytesFromEnv } from '../runs/index.js';
import { RunArchive } from './run-archive.js';
import { registerHistoryRoutes } from './workflows/history-routes.js';
import { registerWorkflowRoutes } from './workflows/routes.js';
import { registerModelPullRoutes } from './workflows/model-pull-routes.js';
import { registerAudioPreviewRoutes } from './workflows/audio-preview-routes.js';
import { isEditorAssetPath, registerEditorRoutes } from './workflows/editor-routes.js';
import { refuse } from './workflows/error-reply.js';
import { isSignedDownloadRequest, newWebhookSecret, registerReplicateRoutes } from './replicate/index.js';
import type { QueueRunBackend } from '../queue/index.js';
import { isJobFileRequest, registerJobFileRoutes } from './job-file-routes.js';
import { addRateLimit } from './rate-limit-hook.js';

export interface Sa3Server {
  readonly app: FastifyInstance;
  readonly runs: RunManager;
  /** The address it listens on, e.g. http://127.0.0.1:7860. */
  readonly url: string;
  /**
   * Shuts down: takes no new work, cancels the runs in hand (through the executor, which removes
   * their staging folders and temp files), lets open requests finish for shutdownGraceMs and then
   * closes every connection, idle or stalled. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

const OPEN_PATHS = new Set(['/', '/health-check']);

/** One process: the Cog predictions API, the workflow API and the editor app. */
export async function startServer(options: ServerOptions): Promise<Sa3Server> {
  const log = options.log ?? ((line: string) => process.stderr.write(`sa3 serve: ${line}\n`));
  const locator = new PackLocator();
  const runtime = createRuntime({
    baseDir: options.filesDir,
    uploadDir: options.uploadDir,
    confinePaths: true,
    fetchTimeoutMs: options.fetchTimeoutMs,
    maxDownloadBytes: options.maxDownloadBytes,
    trustedLoraFiles: (options.predictionLoras ?? []).map((l) => l.file),
    ...(options.engine !== undefined ? { engine: options.engine } : {}),
    ...(options.store ? { store: options.store } : {}),
  });
  // What a killed server left: its runs in hand are reported as interrupted (with --redis, those on the queue are followed again), its temp files go.
  const journal = new RunJournal(join(options.outputDir, '.sa3-runs'));
  const ownPidIsPast = options.ownPidIsPast === true;
  const { interrupted, adoptable } = await journal.takeOver({ ownPidIsPast, followQueue: options.redis !== undefined });
  await removeStaleLeftovers({ tempDir: tmpdir(), runOutputRoot: options.outputDir, uploadDir: options.uploadDir, ownPidIsPast });
  const store = await RunStore.open(options.runsDir ?? join(sa3Home(), 'runs'), { maxBytes: options.runsMaxBytes ?? runsMaxBytesFromEnv() }, { ownPidIsPast });
  const archive = new RunArchive(store, log);
  // With --redis, runs go to sa3 worker processes through BullMQ, as many at once as the queue takes.
  // Loaded only then: BullMQ and ioredis take a third of a second to load.
  const queued = options.redis ? new (await import('../queue/index.js')).QueueRunBackend({ redis: options.redis, uploadDir: options.uploadDir, log }) : null;
  await queued?.connected(2000);
  const runs = new RunManager(queued ?? runtime.executor, options.outputDir, options.queueDepth, {
    ...(queued ? { concurrency: options.queueDepth } : {}),
    journal,
    onEnded: (run, workflowName) => archive.keep(run, workflowName),
  });
  runs.restore(interrupted);
  const adopted = await runs.adopt(adoptable);
  if (adopted.length > 0) log(`following again the queued runs a server using ${options.outputDir} left: ${adopted.map((r) => r.id).join(', ')}`);
  // With --redis, the runs that ended on earlier starts in the last day are answered as before.
  await runs.restoreEnded();
  // Interrupted runs join the history once; deleting the take there forgets them for good.
  for (const { entry } of interrupted) if (!(await store.get(entry.id))) await archive.keep(runs.get(entry.id)!, entry.workflowName);
  if (interrupted.length > 0) log(`runs interrupted when a server using ${options.outputDir} stopped: ${interrupted.map((r) => r.entry.id).join(', ')}`);
  const shutdown = new AbortController();

  // Setup is having a model pack to run predictions with; checked again while it is missing,
  // so a pack installed while the server runs is picked up.
  const startedAt = new Date().toISOString();
  let setup: SetupState = { status: 'STARTING', logs: '', startedAt };
  let checking: Promise<unknown> | null = null;
  const checkSetup = (): Promise<unknown> => {
    if (queued) return Promise.resolve((setup = queueSetup(queued, startedAt)));
    if (setup.status === 'READY') return Promise.resolve();
    checking ??= locator
      .resolve('auto')
      .then(
        ({ manifest }) => (setup = { status: 'READY', logs: `model pack "${manifest.id}" is installed`, startedAt, completedAt: new Date().toISOString() }),
        (error: Error) => (setup = { status: 'SETUP_FAILED', logs: error.message, startedAt, completedAt: new Date().toISOString() }),
      )
      .finally(() => (checking = null));
    return checking;
  };
  await checkSetup();

  const app = Fastify({ bodyLimit: options.bodyLimitBytes, logger: false });

  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    if (!options.token || OPEN_PATHS.has(path) || isEditorAssetPath(path) || isSignedDownloadRequest(req.url) || isJobFileRequest(path)) return;
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      return refuse(
        reply.header('www-authenticate', 'Bearer'),
        401,
        'this server needs "Authorization: Bearer <token>" with the token it was started with (--token or SA3_TOKEN)',
      );
    }
  });

  if (queued) {
    registerJobFileRoutes(app, queued.files);
    app.get('/metrics', async (_req, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(await queued.metricsText()));
    app.addHook('onRequest', async (req, reply) => {
      const unavailable = queued.unavailableSentence();
      if (unavailable && startsWork(req.method, req.url.split('?')[0]!)) return refuse(reply, 503, unavailable);
    });
  }

  if (options.rateLimit) addRateLimit(app, { limit: options.rateLimit, token: options.token !== undefined, counts: startsWork });

  const limit = formatBytes(options.bodyLimitBytes);
  app.setErrorHandler((error: FastifyError, _req, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return refuse(reply, 413, `the request body is larger than the ${limit} this server accepts`);
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError)
      return refuse(reply, 400, `the request body is not valid JSON: ${error.message}`);
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return refuse(reply, 415, error.message);
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return refuse(reply, 400, 'the request body is empty; send a JSON object');
    if (error.statusCode && error.statusCode < 500) return refuse(reply, error.statusCode, error.message);
    const fsSentence = uncaughtFsErrorSentence(error);
    log(`${fsSentence ? 'file-system error' : 'internal error'} on ${_req.method} ${_req.url}: ${fsSentence ?? error.stack ?? error.message}`);
    // The server's own disk is at fault, not the request: 507 when it is full, 500 otherwise, in one sentence.
    if (fsSentence) return refuse(reply, error.code === 'ENOSPC' || error.code === 'EDQUOT' ? 507 : 500, `the server ${fsSentence}`);
    return refuse(reply, 500, `internal error: ${error.message}`);
  });
  app.setNotFoundHandler((req, reply) => refuse(reply, 404, `there is nothing at ${req.method} ${req.url}`));

  registerCogRoutes(app, {
    runs,
    outputsAsUrls: options.outputsAsUrls,
    log,
    shutdown: shutdown.signal,
    queueDepth: options.predictionQueueDepth,
    predictionLoras: options.predictionLoras ?? [],
    setup: () => {
      void checkSetup();
      return setup;
    },
  });
  registerWorkflowRoutes(app, {
    runs,
    uploadDir: options.uploadDir,
    uploadLimitBytes: options.uploadLimitBytes,
    locator,
    // With --redis the runs happen on workers: the packs to offer are theirs.
    ...(queued ? { workerModels: () => queued.workerModels() } : {}),
  });
  registerModelPullRoutes(app, { locator, home: sa3Home() });
  registerAudioPreviewRoutes(app, { audio: runtime.services.audio });
  // With --redis the /v1 webhook key outlives a restart, so a prediction's completed event still verifies with the key its client read.
  const webhookSecret = queued ? { key: await queued.shared('replicate-webhook-key', newWebhookSecret().key) } : undefined;
  registerReplicateRoutes(app, {
    ...(webhookSecret ? { webhookSecret } : {}),
    runs,
    locator,
    uploadDir: options.uploadDir,
    uploadLimitBytes: options.uploadLimitBytes,
    model: options.replicateModel,
    publicUrl: options.publicUrl,
    token: options.token,
    log,
    predictionLoras: options.predictionLoras ?? [],
  });
  registerHistoryRoutes(app, {
    archive,
    onDeleted: (id) => Promise.all([journal.forget(id), runs.forgetEnded(id), queued?.files.forgetPreviews(join(options.outputDir, id))]).then(() => undefined),
  });
  registerEditorRoutes(app, { runs, cache: runtime.executor.cache, examplesDir, ...(queued ? { previews: queued.files } : {}) });

  const url = await app.listen({ host: options.host, port: options.port });
  queued?.files.serveAt(options.publicUrl ?? reachableUrl(url, options.host));
  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    // With --redis the runs in hand go on as jobs, for the next server to follow; in process they are cancelled.
    if (queued) runs.detachAll();
    else {
      runs.stopAccepting();
      runs.cancelAll();
    }
    shutdown.abort();
    const grace = setTimeout(() => app.server.closeAllConnections(), options.shutdownGraceMs ?? 1000);
    try {
      await app.close();
    } finally {
      clearTimeout(grace);
    }
    await queued?.close();
    await runs.settled();
    await store.settled();
    store.close();
    await runtime.close();
  };
  return { app, runs, url, close: () => (closing ??= close()) };
}

/** With --redis, the setup is Redis answering: health says why not, in one sentence. */
function queueSetup(queued: QueueRunBackend, startedAt: string): SetupState {
  const unavailable = queued.unavailableSentence();
  const completedAt = new Date().toISOString();
  return unavailable
    ? { status: 'SETUP_FAILED', logs: unavailable, startedAt, completedAt }
    : { status: 'READY', logs: 'runs go to sa3 worker processes through Redis', startedAt, completedAt };
}

/** Requests that would put a run on the queue: predictions and workflow runs made or replaced, not cancels. */
function startsWork(method: string, path: string): boolean {
  if (method !== 'POST' && method !== 'PUT') return false;
  if (path.endsWith('/cancel')) return false;
  return path.startsWith('/predictions') || path.startsWith('/v1/predictions') || /^\/v1\/models\/.+\/predictions$/.test(path) || path.startsWith('/api/runs');
}

/** The address workers on other machines reach a server at: its host name when it listens on every interface (0.0.0.0 or ::). */
function reachableUrl(listening: string, host: string): string {
  const url = new URL(listening);
  if (host === '0.0.0.0' || host === '::') url.hostname = hostname();
  return url.origin;
}
