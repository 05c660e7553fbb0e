import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Redis } from 'ioredis';
import type { RunReport } from '../executor/index.js';
import type { Workflow } from '../workflow/index.js';
import type { JobFileTransfer, JobInputFile, RunJobResult } from './job-data.js';
import { JOB_TOKEN_HEADER, jobTokenDigest, jobTokenMatches, newJobToken } from './job-token.js';
import { hashedCopy } from './hashed-copy.js';
import { OUTPUT_SHA256_HEADER, MAX_OUTPUT_BYTES_VIA_HTTP, placeReceivedOutputs, receiveOutputs } from './output-transfer.js';
import { findPreview, placePreviews, removeOldPreviews, removePreviews, type FoundPreview } from './preview-store.js';
import { uploadIdsOf } from './upload-sources.js';

/** What the server keeps in Redis about a job's files while it is queued or running (so a restarted server still knows). */
interface JobFileRecord {
  readonly tokenSha256: string;
  readonly outDir: string;
  readonly inputs: readonly (JobInputFile & { readonly path: string })[];
}

/** A request the job file routes turn down: the status and one sentence. */
export interface JobFileRefusal {
  readonly status: number;
  readonly sentence: string;
}

/** Deleted when the job ends; the lifetime only bounds what a server that died mid-job leaves in Redis. */
const RECORD_TTL_SECONDS = 7 * 24 * 3600;
/** Previews older than a day, and what ended jobs left staged, are looked for at most this often (when a job is queued). */
const SWEEP_MS = 3600 * 1000;
/** A job's staging folder in its run's folder: what its worker put back, until the job ends. */
const STAGING_PREFIX = '.sa3-received-';

/** What a worker puts back for a job: its output files, and the previews of its nodes' outputs the editor plays. */
export type JobFileKind = 'outputs' | 'previews';

function recordKey(jobId: string): string {
  return `sa3:job-files:${jobId}`;
}

/** Why a run whose outputs came back through Redis has no previews. */
const OUTPUTS_THROUGH_REDIS = 'its worker could not reach this server over HTTP, so only its output files came back (through Redis)';

function isRefusal<T extends object>(value: T | JobFileRefusal): value is JobFileRefusal {
  return 'sentence' in value;
}

/**
 * Server side of the files of queued jobs: no folder is shared with the workers. When a job is
 * queued, the uploads its workflow reads are described (sha256, size) and a per-job token is made;
 * the worker fetches those uploads from the server and puts the job's outputs back to it over HTTP
 * with that token, each checked against its sha256 and written into a staging folder inside the
 * run's folder; when the job ends they are moved into place, or removed, and the token is gone.
 */
export class JobFiles {
  private serverUrl: string | null = null;
  /** Uploads already hashed, by path, while their size and modification time stay the same: a batch of takes reading one upload hashes it once. */
  private readonly described = new Map<string, { readonly stamp: string; readonly sha256: string; readonly bytes: number }>();
  private lastSweep = 0;

  constructor(
    private readonly redis: Redis,
    private readonly uploadDir: string | undefined,
  ) {}

  /** The base URL workers reach this server at (sa3 serve --public-url, else the address it listens on). */
  serveAt(url: string): void {
    this.serverUrl = url.replace(/\/+$/, '');
  }

  /**
   * Before a job is queued: its token and the uploads its workflow reads, for the job's data.
   * Undefined while the server has no address yet: its outputs then come back through Redis.
   * An upload the server does not have is left out; the worker's audio.load says it is missing.
   */
  async open(jobId: string, outDir: string, workflow: Workflow): Promise<JobFileTransfer | undefined> {
    if (this.serverUrl === null) return undefined;
    if (Date.now() - this.lastSweep > SWEEP_MS) {
      this.lastSweep = Date.now();
      const root = dirname(resolve(outDir));
      await removeOldPreviews(root).catch(() => undefined);
      await this.removeEndedStaging(root).catch(() => undefined);
    }
    const token = newJobToken();
    const inputs: (JobInputFile & { path: string })[] = [];
    const uploadDir = this.uploadDir;
    if (uploadDir !== undefined) {
      for (const id of uploadIdsOf(workflow)) {
        const path = join(uploadDir, id);
        const described = await this.describe(path).catch(() => null);
        if (described) inputs.push({ id, path, ...described });
      }
    }
    const record: JobFileRecord = { tokenSha256: jobTokenDigest(token), outDir: resolve(outDir), inputs };
    await this.redis.set(recordKey(jobId), JSON.stringify(record), 'EX', RECORD_TTL_SECONDS);
    return { serverUrl: this.serverUrl, token, inputs: inputs.map(({ id, sha256, bytes }) => ({ id, sha256, bytes })) };
  }

  /** GET /api/jobs/:job/inputs/:id: the upload to stream to the worker, or why not. */
  async input(jobId: string, id: string, headers: Record<string, string | string[] | undefined>): Promise<{ path: string; bytes: number } | JobFileRefusal> {
    const record = await this.authorize(jobId, headers);
    if (isRefusal(record)) return record;
    const input = record.inputs.find((i) => i.id === id);
    if (!input) return { status: 404, sentence: `job ${jobId} reads no upload "${id}"` };
    const info = await stat(input.path).catch(() => null);
    if (!info?.isFile()) return { status: 410, sentence: `the upload "${id}" job ${jobId} reads was deleted from this server after the job was queued` };
    return { path: input.path, bytes: info.size };
  }

  /**
   * PUT /api/jobs/:job/outputs/:index (and previews/:index): the body is written into the job's
   * staging folder under a temp name, its sha256 checked against the one the worker declares, and
   * only then renamed, so a transfer that breaks or brings other bytes leaves nothing behind.
   */
  async putOutput(
    jobId: string,
    index: string,
    headers: Record<string, string | string[] | undefined>,
    body: Readable,
    kind: JobFileKind = 'outputs',
  ): Promise<{ bytes: number } | JobFileRefusal> {
    const record = await this.authorize(jobId, headers);
    if (isRefusal(record)) return record;
    const what = kind === 'outputs' ? 'output' : 'preview';
    if (!/^\d{1,4}$/.test(index))
      return { status: 404, sentence: `"${index}" is not ${what === 'output' ? 'an' : 'a'} ${what} of job ${jobId}: ${kind} are numbered 0, 1, 2, ...` };
    const sha256 = headers[OUTPUT_SHA256_HEADER];
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256))
      return { status: 400, sentence: `the ${OUTPUT_SHA256_HEADER} header must give the output's sha256 as 64 lowercase hex digits` };
    const dir = join(this.stagingDir(jobId, record.outDir), kind);
    await mkdir(dir, { recursive: true });
    const target = join(dir, `${index}-${sha256}`);
    // Its own temp name: a worker thought dead may still be putting the same output.
    const temp = join(dir, `.${index}.${randomBytes(4).toString('hex')}.partial`);
    try {
      const copied = await hashedCopy(body, temp, MAX_OUTPUT_BYTES_VIA_HTTP);
      if (copied.sha256 !== sha256) {
        await rm(temp, { force: true });
        return { status: 422, sentence: `${what} ${index} of job ${jobId} arrived with other bytes than its sha256 says (${copied.bytes} bytes received)` };
      }
      await rename(temp, target);
      return { bytes: copied.bytes };
    } catch (error) {
      await rm(temp, { force: true });
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      return { status, sentence: status === 413 ? (error as Error).message : `${what} ${index} of job ${jobId} was interrupted: ${(error as Error).message}` };
    }
  }

  /**
   * When the job has completed: its outputs in the run's folder under the names the report gives,
   * taken from the staging folder (over HTTP) or from Redis, all or nothing. The job's files are
   * closed either way. Without `withPreviews` (a prediction) no previews are placed.
   */
  async receive(jobId: string, result: RunJobResult, outDir: string, withPreviews = true): Promise<RunReport> {
    try {
      const dir = this.stagingDir(jobId, outDir);
      const staged = (kind: JobFileKind) => (index: number, sha256: string) => join(dir, kind, `${index}-${sha256}`);
      const report =
        result.outputKeys.length > 0 || result.report.outputs.length === 0
          ? await receiveOutputs(this.redis, result.outputKeys, result.report, outDir)
          : await placeReceivedOutputs(result.report, outDir, staged('outputs'));
      if (report.status === 'succeeded' && withPreviews) {
        const previews = result.previews ?? (result.outputKeys.length > 0 ? { previews: [], skipped: OUTPUTS_THROUGH_REDIS } : undefined);
        // Previews only help the editor: a disk that cannot take them fails no run (the route then says they are not kept).
        await placePreviews(outDir, previews, staged('previews')).catch(() => undefined);
      }
      return report;
    } finally {
      await this.close(jobId, outDir);
    }
  }

  /** When the job has ended, however: its token stops working and what was staged for it goes. */
  async close(jobId: string, outDir: string): Promise<void> {
    await this.redis.del(recordKey(jobId)).catch(() => undefined);
    await rm(this.stagingDir(jobId, outDir), { recursive: true, force: true });
  }

  /** GET /api/runs/:id/nodes/:node/outputs/:output of a run done on a worker: the preview it handed back, or why there is none. */
  preview(outDir: string, node: string, output: string): Promise<FoundPreview> {
    return findPreview(outDir, node, output);
  }

  /** When a run is deleted from the history: its previews go with it. */
  forgetPreviews(outDir: string): Promise<void> {
    return removePreviews(outDir);
  }

  private async describe(path: string): Promise<{ sha256: string; bytes: number }> {
    const info = await stat(path);
    if (!info.isFile()) throw new Error(`${path} is not a file`);
    const stamp = `${info.size}:${info.mtimeMs}:${info.ino}`;
    const known = this.described.get(path);
    if (known?.stamp === stamp) return known;
    const { sha256, bytes } = await hashedCopy(createReadStream(path), null, Number.POSITIVE_INFINITY);
    this.described.delete(path);
    this.described.set(path, { stamp, sha256, bytes });
    if (this.described.size > 256) this.described.delete(this.described.keys().next().value!);
    return { sha256, bytes };
  }

  /**
   * Named after the job, not this process: a server restarted between a worker's putting the
   * outputs back and the job's completing finds them there. close() removes it when the job ends.
   */
  private stagingDir(jobId: string, outDir: string): string {
    return join(resolve(outDir), `${STAGING_PREFIX}${jobId}`);
  }

  /**
   * Removes the staging folders, in the run folders under `outputRoot`, of jobs that have ended
   * with no server left to close them (their record is gone from Redis); those of jobs still
   * queued or running stay, whichever server follows them.
   */
  private async removeEndedStaging(outputRoot: string): Promise<void> {
    for (const run of await readdir(outputRoot, { withFileTypes: true })) {
      if (!run.isDirectory() || run.name.startsWith('.')) continue;
      const runDir = join(outputRoot, run.name);
      for (const name of await readdir(runDir).catch(() => [] as string[])) {
        if (!name.startsWith(STAGING_PREFIX)) continue;
        if ((await this.redis.exists(recordKey(name.slice(STAGING_PREFIX.length)))) === 0) await rm(join(runDir, name), { recursive: true, force: true });
      }
    }
  }

  private async authorize(jobId: string, headers: Record<string, string | string[] | undefined>): Promise<JobFileRecord | JobFileRefusal> {
    const token = headers[JOB_TOKEN_HEADER];
    if (typeof token !== 'string' || token === '')
      return { status: 403, sentence: `job files are served only with the job's token in the ${JOB_TOKEN_HEADER} header` };
    let text: string | null;
    try {
      text = await this.redis.get(recordKey(jobId));
    } catch (error) {
      return { status: 503, sentence: `the job's token cannot be checked while Redis does not answer (${(error as Error).message})` };
    }
    const record = text === null ? null : (JSON.parse(text) as JobFileRecord);
    if (!record || !jobTokenMatches(record.tokenSha256, token))
      return { status: 403, sentence: `the ${JOB_TOKEN_HEADER} given is not the token of job ${jobId}, or that job has ended` };
    return record;
  }
}
