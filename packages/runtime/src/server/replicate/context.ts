import type { FastifyRequest } from 'fastify';
import type { PackLocator } from '../../store/index.js';
import type { PredictionLora } from '../../predictions/index.js';
import type { RunManager, RunRecord } from '../run-manager.js';
import { FileStore } from './file-store.js';
import { currentVersion, type VersionObject } from './model-version.js';
import { predictionObject, type OutputLink, type PredictionEntry, type PredictionObject } from './prediction-object.js';
import { UrlSigner } from './signed-url.js';
import { newWebhookSecret, type WebhookSecret } from './webhook-signing.js';

export interface ReplicateRoutesOptions {
  readonly runs: RunManager;
  readonly locator: PackLocator;
  readonly uploadDir: string;
  readonly uploadLimitBytes: number;
  /** owner/name the routes answer for (default jimothyjohn/stable-audio-3-medium). */
  readonly model?: string;
  /** The https address clients reach the server at: outputs become signed URLs under it. */
  readonly publicUrl?: string;
  /** The server's bearer token, when it has one. */
  readonly token?: string;
  readonly log: (line: string) => void;
  /** LoRA files every prediction applies (sa3 serve --lora). */
  readonly predictionLoras?: readonly PredictionLora[];
  /** The key webhooks are signed with, when it outlives this start (with --redis, kept in Redis); else a new one. */
  readonly webhookSecret?: WebhookSecret;
}

/** The id a prediction's output file is downloaded under. */
export function outputFileId(predictionId: string): string {
  return `${predictionId}-output`;
}

/** What the /v1 routes share: the predictions made through them, the uploaded files, the keys. */
export class ReplicateContext {
  readonly predictions = new Map<string, PredictionEntry>();
  readonly files: FileStore;
  readonly signer = new UrlSigner();
  readonly webhookSecret: WebhookSecret;
  /** Aborted when the server closes: webhook deliveries still trying stop. */
  readonly closing = new AbortController();
  readonly link: OutputLink | null;

  constructor(
    readonly options: ReplicateRoutesOptions,
    readonly model: string,
    readonly publicUrl: string | null,
  ) {
    this.files = new FileStore(options.uploadDir);
    this.webhookSecret = options.webhookSecret ?? newWebhookSecret();
    this.link = publicUrl === null ? null : (entry) => this.downloadUrl(entry.base, outputFileId(entry.id));
  }

  get runs(): RunManager {
    return this.options.runs;
  }

  /** Where links point: the public URL, or else the address this request came to. */
  baseOf(req: FastifyRequest): string {
    return this.publicUrl ?? `http://${req.headers.host ?? 'localhost'}`;
  }

  downloadUrl(base: string, fileId: string): string {
    return `${base}/v1/files/${fileId}/download?${this.signer.sign(fileId)}`;
  }

  version(): Promise<VersionObject> {
    return currentVersion(this.options.locator);
  }

  /** A prediction made through /v1 with its run, or undefined. */
  find(id: string): { entry: PredictionEntry; run: RunRecord } | undefined {
    const entry = this.predictions.get(id);
    const run = entry && this.runs.get(id);
    return entry && run ? { entry, run } : undefined;
  }

  object(entry: PredictionEntry, run: RunRecord): Promise<PredictionObject> {
    return predictionObject(entry, run, this.link);
  }
}
