import type { Problem } from '@sa3/nodes';

/** What the editor shows of a node's part in the last run. */
export type NodeRunStatus = 'idle' | 'queued' | 'running' | 'done' | 'cached' | 'failed' | 'cancelled' | 'skipped';

/** Why a node failed, as its node-error event or the run report said. */
export type NodeRunError = Pick<Problem, 'code' | 'message' | 'param' | 'input'>;

/** Something a node produced that can be listened to (an audio output, a saved file). */
export interface NodeMedia {
  readonly label: string;
  readonly url: string;
  /** Seconds, when the run said. */
  readonly duration?: number;
  /** What the run measured of it, e.g. "-14.0 LUFS · LRA 3.2 LU · -1.1 dBTP", shown under the player. */
  readonly measured?: string;
}

export interface NodeRunState {
  readonly status: NodeRunStatus;
  readonly step?: number;
  readonly total?: number;
  readonly phase?: string;
  readonly ms?: number;
  readonly error?: NodeRunError;
  readonly media?: readonly NodeMedia[];
  /** The seeds the run used, by param (a seed of -1 shows the one drawn for it). */
  readonly seeds?: Readonly<Record<string, number>>;
}

export const idleState: NodeRunState = { status: 'idle' };
