import { createReadStream } from 'node:fs';
import { link, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { Redis } from 'ioredis';
import type { OutputFileReport, RunReport } from '../executor/index.js';
import { formatBytes, sha256Hex, writeFileAtomic } from '../files/index.js';
import type { JobFileTransfer, RunJobResult } from './job-data.js';
import { JOB_TOKEN_HEADER } from './job-token.js';
import { refusalOf } from './server-refusal.js';
import { outputKey } from './queue-names.js';

/** Where the server cannot be reached over HTTP, outputs travel through Redis up to this size per job. */
export const MAX_OUTPUT_BYTES_VIA_REDIS = 64 * 1024 * 1024;
/** The largest single output the server takes over HTTP (a WAV cannot be bigger). */
export const MAX_OUTPUT_BYTES_VIA_HTTP = 4 * 1024 * 1024 * 1024;
/** The header a worker declares an output's sha256 in; the server checks the bytes against it. */
export const OUTPUT_SHA256_HEADER = 'x-sa3-sha256';
/** How long an output waits in Redis for the server to fetch it. */
const OUTPUT_TTL_SECONDS = 24 * 3600;

/** The server's route for output `index` of a job (server/job-file-routes.ts answers it). */
export function jobOutputUrl(serverUrl: string, jobId: string, index: number): string {
  return `${serverUrl}/api/jobs/${encodeURIComponent(jobId)}/outputs/${index}`;
}

/** Thrown when the server could not be reached at all (no answer), as opposed to answering no. */
class ServerUnreachableError extends Error {}

/**
 * Worker side: hands back the output files of a finished run. With the job's file transfer they
 * are put to the server over HTTP, one by one; if the server cannot be reached, or the job came
 * without one, they go into Redis, which takes up to MAX_OUTPUT_BYTES_VIA_REDIS per job.
 */
export async function sendOutputs(
  redis: Redis,
  jobId: string,
  report: RunReport,
  files: JobFileTransfer | undefined,
): Promise<Pick<RunJobResult, 'outputKeys'>> {
  let unreachable = '';
  if (files) {
    try {
      for (const [index, file] of report.outputs.entries()) await putOutput(files, jobId, index, file);
      return { outputKeys: [] };
    } catch (error) {
      if (!(error instanceof ServerUnreachableError)) throw error;
      unreachable = `, and the server at ${files.serverUrl} cannot be reached to take them over HTTP (${error.message})`;
    }
  }
  return { outputKeys: await putOutputsInRedis(redis, jobId, report, unreachable) };
}

async function putOutput(files: JobFileTransfer, jobId: string, index: number, file: OutputFileReport): Promise<void> {
  let response: Response;
  try {
    response = await fetch(jobOutputUrl(files.serverUrl, jobId, index), {
      method: 'PUT',
      headers: { [JOB_TOKEN_HEADER]: files.token, [OUTPUT_SHA256_HEADER]: file.sha256, 'content-type': 'application/octet-stream' },
      body: Readable.toWeb(createReadStream(file.absolutePath)),
      duplex: 'half',
    });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    throw new ServerUnreachableError(cause?.message ?? (error as Error).message);
  }
  if (response.ok) return void (await response.arrayBuffer());
  throw new Error(`the server refused output "${file.path}" of the run (${await refusalOf(response)})`);
}

async function putOutputsInRedis(redis: Redis, jobId: string, report: RunReport, unreachable: string): Promise<string[]> {
  const total = report.outputs.reduce((sum, file) => sum + file.bytes, 0);
  if (total > MAX_OUTPUT_BYTES_VIA_REDIS)
    throw new Error(
      `the run's outputs are ${formatBytes(total)}, more than the ${formatBytes(MAX_OUTPUT_BYTES_VIA_REDIS)} a job may hand back through Redis${unreachable}`,
    );
  const keys: string[] = [];
  for (const [index, file] of report.outputs.entries()) {
    const key = outputKey(jobId, index);
    await redis.set(key, await readFile(file.absolutePath), 'EX', OUTPUT_TTL_SECONDS);
    keys.push(key);
  }
  return keys;
}

/** The report as it travels: no path of the worker's disk in it. */
export function portableReport(report: RunReport): RunReport {
  return { ...report, outputs: report.outputs.map((file) => ({ ...file, absolutePath: file.path })) };
}

/** Where an output the worker named goes in the run's folder; refused when the name leaves it. */
function targetOf(root: string, file: OutputFileReport): string {
  const target = resolve(root, file.path);
  if (!target.startsWith(root + sep)) throw new Error(`the worker named an output "${file.path}" outside the run's folder`);
  return target;
}

/**
 * Server side, over HTTP: moves each output the worker put (already checked against its sha256,
 * waiting at `staged(index, sha256)`) to the name the report gives. All or nothing: on any
 * failure the files already placed are removed again.
 */
export async function placeReceivedOutputs(report: RunReport, outDir: string, staged: (index: number, sha256: string) => string): Promise<RunReport> {
  return placeAll(report, resolve(outDir), async (index, file, target) => {
    // A hard link never replaces a file already there, as rename would; the staging folder goes when the job is closed.
    await link(staged(index, file.sha256), target).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new Error(`the output "${file.path}" never arrived from the worker`) : error;
    });
  });
}

/**
 * Server side, through Redis: writes a finished job's output files into the run's folder under the
 * names the report gives, each checked against its sha256, and deletes them from Redis. All or
 * nothing: on any failure the files already placed are removed again.
 */
export async function receiveOutputs(redis: Redis, keys: readonly string[], report: RunReport, outDir: string): Promise<RunReport> {
  const received = await placeAll(report, resolve(outDir), async (index, file, target) => {
    const bytes = await redis.getBuffer(keys[index] ?? '');
    if (bytes === null) throw new Error(`the output "${file.path}" was no longer in Redis when the server came to fetch it`);
    if (sha256Hex(bytes) !== file.sha256) throw new Error(`the output "${file.path}" arrived from Redis with other bytes than the worker wrote`);
    await writeFileAtomic(target, bytes);
  });
  if (keys.length > 0) await redis.del(...keys);
  return received;
}

async function placeAll(report: RunReport, root: string, place: (index: number, file: OutputFileReport, target: string) => Promise<void>): Promise<RunReport> {
  const placed: string[] = [];
  const outputs: OutputFileReport[] = [];
  try {
    for (const [index, file] of report.outputs.entries()) {
      const target = targetOf(root, file);
      await mkdir(dirname(target), { recursive: true });
      await place(index, file, target);
      placed.push(target);
      outputs.push({ ...file, absolutePath: target });
    }
  } catch (error) {
    await Promise.all(placed.map((path) => rm(path, { force: true })));
    throw error;
  }
  return { ...report, outputs };
}
