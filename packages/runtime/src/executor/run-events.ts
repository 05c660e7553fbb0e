import type { RunEvent, RunEventBody } from './events.js';

/** Stamps a run's events with its id, a sequence number and the time, and hands them on. */
export class RunEmitter {
  private seq = 0;

  constructor(
    private readonly runId: string,
    private readonly onEvent: ((event: RunEvent) => void) | undefined,
  ) {}

  emit(body: RunEventBody): void {
    this.onEvent?.({ runId: this.runId, seq: ++this.seq, time: new Date().toISOString(), ...body });
  }
}
