import type { NodeOutputs, RunReport } from '../executor/index.js';
import { sha256Hex } from '../files/index.js';
import type { HandedPreview, HandedPreviews, JobFileTransfer } from './job-data.js';
import { JOB_TOKEN_HEADER } from './job-token.js';
import { OUTPUT_SHA256_HEADER } from './output-transfer.js';
import { refusalOf } from './server-refusal.js';

/** What the editor plays of one node output (audio as a 16-bit WAV, a file as its bytes); undefined for what it does not play. */
export type NodeOutputPreview = (value: unknown) => { readonly bytes: Uint8Array; readonly mime: string } | undefined;

/** The server's route for preview `index` of a job (server/job-file-routes.ts answers it). */
export function jobPreviewUrl(serverUrl: string, jobId: string, index: number): string {
  return `${serverUrl}/api/jobs/${encodeURIComponent(jobId)}/previews/${index}`;
}

/**
 * Worker side, after a run succeeded and its outputs went back over HTTP: puts the preview of every
 * audio or file output of the nodes that ran (as the worker's result cache holds them) to the
 * server, which serves them at GET /api/runs/:id/nodes/:node/outputs/:output. Previews never fail
 * a job: what could not be handed back is left out, and `skipped` says why.
 */
export async function sendPreviews(
  files: JobFileTransfer,
  jobId: string,
  report: RunReport,
  lookup: (cacheKey: string) => NodeOutputs | undefined,
  preview: NodeOutputPreview,
): Promise<HandedPreviews> {
  const previews: HandedPreview[] = [];
  const missing: string[] = [];
  for (const node of report.nodes) {
    if (node.status !== 'done' && node.status !== 'cached') continue;
    const held = lookup(node.cacheKey);
    for (const [output, summary] of Object.entries(node.outputs ?? {})) {
      if (summary.type !== 'audio' && summary.type !== 'file') continue;
      const made = held?.[output] === undefined ? undefined : preview(held[output]);
      if (!made) {
        missing.push(`"${output}" of node "${node.id}"`);
        continue;
      }
      const entry: HandedPreview = { node: node.id, output, mime: made.mime, sha256: sha256Hex(made.bytes), bytes: made.bytes.byteLength };
      try {
        await putPreview(files, jobId, previews.length, entry, made.bytes);
      } catch (error) {
        return { previews, skipped: `the worker could not hand its previews back to the server at ${files.serverUrl} (${(error as Error).message})` };
      }
      previews.push(entry);
    }
  }
  return missing.length > 0
    ? { previews, skipped: `the worker's result cache no longer held the output ${missing.join(', ')} when the run ended` }
    : { previews };
}

async function putPreview(files: JobFileTransfer, jobId: string, index: number, entry: HandedPreview, bytes: Uint8Array): Promise<void> {
  let response: Response;
  try {
    response = await fetch(jobPreviewUrl(files.serverUrl, jobId, index), {
      method: 'PUT',
      headers: { [JOB_TOKEN_HEADER]: files.token, [OUTPUT_SHA256_HEADER]: entry.sha256, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
  } catch (error) {
    throw new Error((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message, { cause: error });
  }
  if (!response.ok) throw new Error(`it refused the preview of "${entry.output}" of node "${entry.node}": ${await refusalOf(response)}`);
  await response.arrayBuffer();
}
