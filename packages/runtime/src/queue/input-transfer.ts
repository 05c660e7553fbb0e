import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { UnrecoverableError } from 'bullmq';
import { formatBytes, holdTempPath, releaseTempPath, timedFetch, uploadPartialName } from '../files/index.js';
import type { JobFileTransfer, JobInputFile } from './job-data.js';
import { JOB_TOKEN_HEADER } from './job-token.js';
import { refusalOf } from './server-refusal.js';
import { hashedCopy } from './hashed-copy.js';

/** The server's route for an upload a job reads (server/job-file-routes.ts answers it). */
export function jobInputUrl(serverUrl: string, jobId: string, id: string): string {
  return `${serverUrl}/api/jobs/${encodeURIComponent(jobId)}/inputs/${encodeURIComponent(id)}`;
}

interface HeldUpload {
  readonly sha256: string;
  jobs: number;
  readonly ready: Promise<void>;
}

/**
 * Worker side: the upload folder the worker's audio.load reads `upload:<id>` from. Before a job
 * runs, the uploads it reads are fetched from the server with the job's token, checked against
 * the sha256 the server recorded when it queued the job, and renamed into place; once no job in
 * hand reads an upload any more, it is removed. Jobs running at once that read the same upload
 * share one copy.
 */
export class WorkerUploads {
  private readonly held = new Map<string, HeldUpload>();

  constructor(readonly dir: string) {}

  /** Fetches the job's uploads; resolves to the function that lets go of them when the job has ended. */
  async take(jobId: string, files: JobFileTransfer, signal: AbortSignal): Promise<() => Promise<void>> {
    const taken: string[] = [];
    const release = async (): Promise<void> => {
      for (const id of taken.splice(0)) await this.letGo(id);
    };
    try {
      for (const input of files.inputs) {
        let upload = this.held.get(input.id);
        if (upload && upload.sha256 !== input.sha256)
          throw new Error(`the upload "${input.id}" changed on the server while another job on this worker reads it`);
        if (!upload) {
          upload = { sha256: input.sha256, jobs: 0, ready: this.fetchOne(jobId, files, input, signal) };
          this.held.set(input.id, upload);
        }
        upload.jobs++;
        taken.push(input.id);
        await upload.ready;
      }
    } catch (error) {
      await release();
      throw error;
    }
    return release;
  }

  private async letGo(id: string): Promise<void> {
    const upload = this.held.get(id);
    if (!upload || --upload.jobs > 0) return;
    this.held.delete(id);
    await rm(join(this.dir, id), { force: true });
  }

  private async fetchOne(jobId: string, files: JobFileTransfer, input: JobInputFile, signal: AbortSignal): Promise<void> {
    const shown = `upload:${input.id}`;
    await mkdir(this.dir, { recursive: true });
    let response: Response;
    try {
      response = await timedFetch(jobInputUrl(files.serverUrl, jobId, input.id), { headers: { [JOB_TOKEN_HEADER]: files.token } }, { signal });
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause;
      throw new Error(`the server at ${files.serverUrl} cannot be reached to fetch the job's input ${shown} (${cause?.message ?? (error as Error).message})`, {
        cause: error,
      });
    }
    // A refusal (no such job, token or upload any more) is final: the job fails at once instead of being tried again.
    if (!response.ok || !response.body) throw new UnrecoverableError(`the server refused the job's input ${shown} (${await refusalOf(response)})`);
    // Named as the server names partial uploads (.<id>.<pid>.partial): what a killed worker left is recognisable.
    const temp = join(this.dir, uploadPartialName(input.id));
    holdTempPath(temp);
    try {
      const copied = await hashedCopy(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), temp, input.bytes);
      if (copied.sha256 !== input.sha256 || copied.bytes !== input.bytes)
        throw new UnrecoverableError(
          `the job's input ${shown} arrived with other bytes than the server recorded when it queued the job (${formatBytes(copied.bytes)})`,
        );
      await rename(temp, join(this.dir, input.id));
    } catch (error) {
      await rm(temp, { force: true });
      if ((error as { statusCode?: number }).statusCode === 413)
        throw new UnrecoverableError(`the job's input ${shown} arrived longer than the ${formatBytes(input.bytes)} the server recorded when it queued the job`);
      throw error;
    } finally {
      releaseTempPath(temp);
    }
  }
}
