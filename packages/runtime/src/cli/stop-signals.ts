import { removeHeldTempPathsSync } from '../files/index.js';

/** The signals that ask sa3 to stop, and the exit code a command they interrupted ends with (128 + the signal's number). */
export const STOP_SIGNALS = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

/** How long after the first signal the process ends whatever it is still doing, so it is gone within 5 s. */
export const STOP_DEADLINE_MS = 4_500;

export interface StopWatch {
  /** The signal that asked to stop, once one has. */
  readonly signal: StopSignal | null;
  /** Stops listening (the command is over); after a signal the deadline stays armed, in case something keeps the process from ending. */
  dispose(): void;
}

/**
 * Calls `onStop` at the first SIGINT, SIGTERM or SIGHUP, for the command to stop its work and clean
 * up. If it has not finished STOP_DEADLINE_MS later, or a second signal comes, the process ends at
 * once with `forcedExitCode` (default 128 + the signal's number), after removing the temp files
 * and staging folders it still holds.
 */
export function watchStopSignals(onStop: (signal: StopSignal) => void, options: { forcedExitCode?: number; deadlineMs?: number } = {}): StopWatch {
  let received: StopSignal | null = null;
  const forceExit = (signal: StopSignal): never => {
    removeHeldTempPathsSync();
    process.exit(options.forcedExitCode ?? STOP_SIGNALS[signal]);
  };
  const handlers = new Map<StopSignal, () => void>();
  for (const signal of Object.keys(STOP_SIGNALS) as StopSignal[]) {
    const handler = (): void => {
      if (received) forceExit(received);
      received = signal;
      setTimeout(() => forceExit(signal), options.deadlineMs ?? STOP_DEADLINE_MS).unref();
      onStop(signal);
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return {
    get signal() {
      return received;
    },
    dispose() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    },
  };
}
