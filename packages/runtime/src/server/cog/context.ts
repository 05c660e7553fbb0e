import type { RunManager } from '../run-manager.js';
import { predictionResponse, type PredictionResponse } from './prediction.js';
import { PredictionRegistry, type Prediction } from './prediction-registry.js';
import type { SetupState } from './health.js';
import type { PredictionLora } from '../../predictions/index.js';

export interface CogRoutesOptions {
  readonly runs: RunManager;
  /** Runs in hand at which a new prediction is refused with 409 (ServerOptions.predictionQueueDepth). */
  readonly queueDepth: number;
  readonly outputsAsUrls: boolean;
  /** The server's setup as it stands (looked at again while it has failed). */
  readonly setup: () => SetupState;
  readonly log: (line: string) => void;
  /** Aborted when the server shuts down: webhook deliveries still trying stop. */
  readonly shutdown?: AbortSignal;
  /** LoRA files every prediction applies (sa3 serve --lora). */
  readonly predictionLoras?: readonly PredictionLora[];
}

/** What the Cog routes share: the options, the predictions made through them, and how one is answered. */
export class CogContext {
  readonly predictions: PredictionRegistry;

  constructor(readonly options: CogRoutesOptions) {
    this.predictions = new PredictionRegistry(options.runs, options.queueDepth);
  }

  /** A prediction as Cog answers it; a URL output points at the run's outputs on this server. */
  respond({ request, run }: Prediction): Promise<PredictionResponse> {
    const outputUrl = (runId: string, path: string) => `/api/runs/${runId}/outputs/${path.split('/').map(encodeURIComponent).join('/')}`;
    return predictionResponse(request, run, outputUrl);
  }
}
