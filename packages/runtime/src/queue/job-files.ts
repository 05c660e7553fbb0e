import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Redis } from 'ioredis';
import type { RunReport } from '../executor/index.js';
import { holdTempPath, outputStagingName, releaseTempPath } from '../files/index.js';
import type { Workflow } from '../workflow/index.js';
import type { JobFileTransfer, JobInputFile, RunJobResult } from './job-data.js';
import { JOB_TOKEN_HEADER, jobTokenDigest, jobTokenMatches, newJobToken } from './job-token.js';
import { hashedCopy } from './hashed-copy.js';
import { OUTPUT_SHA256_HEADER, MAX_OUTPUT_BYTES_VIA_HTTP, placeReceivedOutputs, receiveOutputs } from './output-transfer.js';
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

function recordKey(jobId: string): string {
  return `sa3:job-files:${jobId}`;
}

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
   * PUT /api/jobs/:job/outputs/:index: the body is written into the job's staging folder under a
   * temp name, its sha256 checked against the one the worker declares, and only then renamed, so
   * a transfer that breaks or brings other bytes leaves nothing behind.
   */
  async putOutput(
    jobId: string,
    index: string,
    headers: Record<string, string | string[] | undefined>,
    body: Readable,
  ): Promise<{ bytes: number } | JobFileRefusal> {
    const record = await this.authorize(jobId, headers);
    if (isRefusal(record)) return record;
    if (!/^\d{1,4}$/.test(index)) return { status: 404, sentence: `"${index}" is not an output of job ${jobId}: outputs are numbered 0, 1, 2, ...` };
    const sha256 = headers[OUTPUT_SHA256_HEADER];
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256))
      return { status: 400, sentence: `the ${OUTPUT_SHA256_HEADER} header must give the output's sha256 as 64 lowercase hex digits` };
    const dir = this.stagingDir(jobId, record.outDir);
    holdTempPath(dir);
    await mkdir(dir, { recursive: true });
    const target = join(dir, `${index}-${sha256}`);
    // Its own temp name: a worker thought dead may still be putting the same output.
    const temp = join(dir, `.${index}.${randomBytes(4).toString('hex')}.partial`);
    try {
      const copied = await hashedCopy(body, temp, MAX_OUTPUT_BYTES_VIA_HTTP);
      if (copied.sha256 !== sha256) {
        await rm(temp, { force: true });
        return { status: 422, sentence: `output ${index} of job ${jobId} arrived with other bytes than its sha256 says (${copied.bytes} bytes received)` };
      }
      await rename(temp, target);
      return { bytes: copied.bytes };
    } catch (error) {
      await rm(temp, { force: true });
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      return { status, sentence: status === 413 ? (error as Error).message : `output ${index} of job ${jobId} was interrupted: ${(error as Error).message}` };
    }
  }

  /**
   * When the job has completed: its outputs in the run's folder under the names the report gives,
   * taken from the staging folder (over HTTP) or from Redis, all or nothing. The job's files are
   * closed either way.
   */
  async receive(jobId: string, result: RunJobResult, outDir: string): Promise<RunReport> {
    try {
      if (result.outputKeys.length > 0 || result.report.outputs.length === 0) return await receiveOutputs(this.redis, result.outputKeys, result.report, outDir);
      const dir = this.stagingDir(jobId, outDir);
      return await placeReceivedOutputs(result.report, outDir, (index, sha256) => join(dir, `${index}-${sha256}`));
    } finally {
      await this.close(jobId, outDir);
    }
  }

  /** When the job has ended, however: its token stops working and what was staged for it goes. */
  async close(jobId: string, outDir: string): Promise<void> {
    await this.redis.del(recordKey(jobId)).catch(() => undefined);
    const dir = this.stagingDir(jobId, outDir);
    await rm(dir, { recursive: true, force: true });
    releaseTempPath(dir);
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

  /** Named with this process's pid, so one a killed server left is removed by the next (as run staging folders are). */
  private stagingDir(jobId: string, outDir: string): string {
    return join(resolve(outDir), outputStagingName(`received-${jobId}`));
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
