import { AtCapacityError, RunIdTakenError, type RunManager, type RunRecord } from '../run-manager.js';
import type { Workflow } from '../../workflow/index.js';
import type { PredictionRequest } from './prediction.js';

/** Cog's answer while it runs a prediction (http.py, on the runner's RunnerBusyError). */
export const BUSY_DETAIL = 'Already running a prediction';

/** Thrown by submit when the server has as many runs in hand as Cog's routes allow. */
export class PredictionBusyError extends Error {
  constructor() {
    super(BUSY_DETAIL);
    this.name = 'PredictionBusyError';
  }
}

export interface Prediction {
  readonly request: PredictionRequest;
  readonly run: RunRecord;
}

function inFlight(run: RunRecord): boolean {
  return run.status === 'queued' || run.status === 'running';
}

/** The request a run asked through these routes keeps as its origin, if it is one. */
function requestOf(run: RunRecord): PredictionRequest | null {
  if (run.origin?.api !== 'cog') return null;
  const request = run.origin.request as Partial<PredictionRequest> | undefined;
  const valid =
    typeof request === 'object' &&
    request !== null &&
    typeof request.id === 'string' &&
    typeof request.input === 'object' &&
    Array.isArray(request.webhookEvents) &&
    typeof request.outputAsUrl === 'boolean';
  return valid ? (request as PredictionRequest) : null;
}

/**
 * The predictions made through Cog's routes, by the id their client knows them by. As Cog's
 * runner, it refuses a prediction while the server has `depth` runs in hand (of any API: they
 * share the one model queue), and forgets an id once its prediction has ended: the same id then
 * starts a new prediction. The first prediction under an id runs under that id; later ones run
 * under new run ids, so the outputs of each stay where they were written.
 */
export class PredictionRegistry {
  private readonly latest = new Map<string, Prediction>();
  /** Predictions of an earlier server whose runs this one follows again (sa3 serve --redis), known under their ids as before (as are those that ended). */
  readonly resumed: Prediction[] = [];

  constructor(
    private readonly runs: RunManager,
    private readonly depth: number,
  ) {
    for (const run of runs.list()) {
      const request = requestOf(run);
      if (!request || this.latest.has(request.id)) continue;
      const prediction = { request, run };
      this.latest.set(request.id, prediction);
      if (inFlight(run)) this.resumed.push(prediction);
    }
  }

  /** Whether a new prediction would be refused now. */
  busy(): boolean {
    return this.runs.pending >= Math.min(this.depth, this.runs.queueDepth);
  }

  /** The last prediction made under this id, running or not. */
  get(id: string): Prediction | undefined {
    return this.latest.get(id);
  }

  /** The prediction under this id while it is queued or running. */
  running(id: string): Prediction | undefined {
    const found = this.latest.get(id);
    return found && inFlight(found.run) ? found : undefined;
  }

  /**
   * Starts a prediction. Throws RunIdTakenError when the id is another run's (a workflow run, a /v1
   * prediction), PredictionBusyError when the server is busy, ShuttingDownError once it stops.
   */
  submit(request: PredictionRequest, workflow: Workflow): Prediction {
    const earlier = this.latest.get(request.id);
    if (!earlier && this.runs.get(request.id)) throw new RunIdTakenError(request.id);
    if (this.busy() || (earlier && inFlight(earlier.run))) throw new PredictionBusyError();
    let run: RunRecord;
    try {
      run = this.runs.submit(workflow, {
        ...(earlier ? {} : { id: request.id }),
        workflowName: 'prediction',
        origin: { api: 'cog', request },
        priority: 'batch',
        nodePreviews: false,
      });
    } catch (error) {
      if (error instanceof AtCapacityError) throw new PredictionBusyError();
      throw error;
    }
    const prediction = { request, run };
    this.latest.set(request.id, prediction);
    return prediction;
  }

  /** Cancels the prediction under this id; false when none is queued or running (Cog's runner: unknown or done). */
  cancel(id: string): boolean {
    const found = this.running(id);
    if (!found) return false;
    this.runs.cancel(found.run.id);
    return true;
  }
}
