import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '@sa3/nodes';
import type { DiskResultStore } from '../executor/index.js';
import type { PredictionLora } from '../predictions/index.js';
import { sa3Home } from '../store/index.js';
import type { RedisAddress } from '../queue/index.js';
import type { RateLimit } from './rate-limit.js';

export interface ServerOptions {
  readonly host: string;
  readonly port: number;
  /** Bearer token every request must carry (but the health check and the page); none by default. */
  readonly token?: string;
  /** Runs write their outputs into <outputDir>/<run id>/. */
  readonly outputDir: string;
  /** The run store: every run that started is kept here once it ends (default SA3_HOME/runs). */
  readonly runsDir?: string;
  /** Its size limit in bytes, above which the oldest unpinned runs are removed (default SA3_RUNS_MAX_MB, else 2048 MB). */
  readonly runsMaxBytes?: number;
  readonly uploadDir: string;
  /** Audio paths in submitted workflows resolve here and may not leave it. */
  readonly filesDir: string;
  /** Runs queued or running at once; more are refused with 409. */
  readonly queueDepth: number;
  /**
   * Runs in hand (of any API) at which Cog's POST and PUT /predictions answer 409 {"detail": "Already
   * running a prediction"}: 1 by default, as a Cog container runs one prediction at a time; sa3 serve
   * --queue N sets it to N with queueDepth.
   */
  readonly predictionQueueDepth: number;
  readonly bodyLimitBytes: number;
  readonly uploadLimitBytes: number;
  readonly fetchTimeoutMs: number;
  readonly maxDownloadBytes: number;
  /** Prediction outputs as URLs on this server instead of data: URIs. */
  readonly outputsAsUrls: boolean;
  /** The owner/name Replicate's API under /v1 answers for (default jimothyjohn/stable-audio-3-medium). */
  readonly replicateModel?: string;
  /** The https origin clients reach this server at (behind a TLS proxy): /v1 outputs become signed URLs under it. */
  readonly publicUrl?: string;
  readonly engine?: Engine | null;
  /** LoRA files applied to every Cog and Replicate prediction (sa3 serve --lora), each with its sha256. */
  readonly predictionLoras?: readonly PredictionLora[];
  /** Model nodes' audio kept on disk, so a restarted server reuses what it made. */
  readonly store?: DiskResultStore;
  readonly log?: (line: string) => void;
  /** On close, how long requests still open may finish before every connection is closed (default 1000 ms). */
  readonly shutdownGraceMs?: number;
  /**
   * This process has made nothing yet (sa3 serve): leftovers and runs recorded under its own pid
   * come from an earlier process that had the same pid, such as a restarted container's pid 1.
   */
  readonly ownPidIsPast?: boolean;
  /** Runs go onto BullMQ queues in this Redis for `sa3 worker` processes, instead of running in this process. */
  readonly redis?: RedisAddress;
  /** Requests that start work (predictions, workflow runs) per token, or per address without one, beyond which 429 answers. */
  readonly rateLimit?: RateLimit;
}

export const examplesDir = fileURLToPath(new URL('../../../../examples/', import.meta.url));

export function defaultServerOptions(): ServerOptions {
  return {
    host: '127.0.0.1',
    port: 7860,
    ...(process.env.SA3_TOKEN ? { token: process.env.SA3_TOKEN } : {}),
    outputDir: join(sa3Home(), 'outputs'),
    uploadDir: join(sa3Home(), 'uploads'),
    filesDir: examplesDir,
    // One batch of 16 takes (POST /api/runs with repeat) fits.
    queueDepth: 16,
    predictionQueueDepth: 1,
    bodyLimitBytes: 64 * 1024 * 1024,
    uploadLimitBytes: 512 * 1024 * 1024,
    fetchTimeoutMs: 30_000,
    maxDownloadBytes: 512 * 1024 * 1024,
    outputsAsUrls: false,
  };
}
