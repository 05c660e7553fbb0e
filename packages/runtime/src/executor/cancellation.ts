import { cancelledError, NodeError } from '@sa3/nodes';

export function abortError(): Error {
  return Object.assign(new Error('cancelled'), { name: 'AbortError' });
}

/** Whether a node's error means it was stopped rather than that it failed: a node's own NodeError after a stop still counts as a failure. */
export function isCancellation(error: unknown, signal: AbortSignal): boolean {
  const isAbort = error instanceof Error && error.name === 'AbortError';
  return isAbort || (signal.aborted && !(error instanceof NodeError));
}

/** Settles with the work, or rejects as soon as the signal aborts: a node that ignores its signal cannot hold a run. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined); // once cancelled, a late failure of the abandoned work is of no interest
  if (signal.aborted) return Promise.reject(cancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The run's own stop signal: aborted by the caller's signal, or by the run when a node fails. */
export class RunStop {
  private readonly controller = new AbortController();
  private readonly onCallerAbort = (): void => this.controller.abort();

  constructor(private readonly callerSignal: AbortSignal | undefined) {
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    if (callerSignal?.aborted) this.controller.abort();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the caller cancelled the run (a stop after a failure is not a cancellation). */
  get cancelledByCaller(): boolean {
    return this.callerSignal?.aborted ?? false;
  }

  stop(): void {
    this.controller.abort();
  }

  release(): void {
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}
