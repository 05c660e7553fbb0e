import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { Redis } from 'ioredis';
import type { OutputFileReport, RunReport } from '../executor/index.js';
import { formatBytes, sha256Hex, writeFileAtomic } from '../files/index.js';
import { outputKey } from './queue-names.js';

/** Outputs travel through Redis up to this size per job; a bigger run fails with a sentence saying so. */
export const MAX_OUTPUT_BYTES_VIA_REDIS = 64 * 1024 * 1024;
/** How long an output waits in Redis for the server to fetch it. */
const OUTPUT_TTL_SECONDS = 24 * 3600;

/** Worker side: puts each output file of a finished run into Redis; returns their keys, in the report's order. */
export async function sendOutputs(redis: Redis, jobId: string, report: RunReport): Promise<string[]> {
  const total = report.outputs.reduce((sum, file) => sum + file.bytes, 0);
  if (total > MAX_OUTPUT_BYTES_VIA_REDIS)
    throw new Error(`the run's outputs are ${formatBytes(total)}, more than the ${formatBytes(MAX_OUTPUT_BYTES_VIA_REDIS)} a job may hand back through Redis`);
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

/**
 * Server side: writes a finished job's output files into the run's folder under the names the
 * report gives, each checked against its sha256, and deletes them from Redis. All or nothing: on
 * any failure the files already placed are removed again.
 */
export async function receiveOutputs(redis: Redis, keys: readonly string[], report: RunReport, outDir: string): Promise<RunReport> {
  const root = resolve(outDir);
  const placed: string[] = [];
  const outputs: OutputFileReport[] = [];
  try {
    for (const [index, file] of report.outputs.entries()) {
      const target = resolve(root, file.path);
      if (!target.startsWith(root + sep)) throw new Error(`the worker named an output "${file.path}" outside the run's folder`);
      const bytes = await redis.getBuffer(keys[index] ?? '');
      if (bytes === null) throw new Error(`the output "${file.path}" was no longer in Redis when the server came to fetch it`);
      if (sha256Hex(bytes) !== file.sha256) throw new Error(`the output "${file.path}" arrived from Redis with other bytes than the worker wrote`);
      await mkdir(dirname(target), { recursive: true });
      await writeFileAtomic(target, bytes);
      placed.push(target);
      outputs.push({ ...file, absolutePath: target });
    }
  } catch (error) {
    await Promise.all(placed.map((path) => rm(path, { force: true })));
    throw error;
  }
  if (keys.length > 0) await redis.del(...keys);
  return { ...report, outputs };
}
