import type { NodeStatus } from './report.js';

/** How a node's turn ended, before the state of the run as a whole is taken into account. */
export type NodeEnding =
  /** It ran to the end. */
  | 'ran'
  /** Its outputs came from a cache. */
  | 'cached'
  /** It failed with an error of its own. */
  | 'threw'
  /** The run stopped before it started or while it ran. */
  | 'stopped'
  /** An input it needs never came, though the run did not stop. */
  | 'input-missing';

export type FinalNodeStatus = Exclude<NodeStatus, 'pending'>;

/**
 * The one rule for a node's final state. A node the run stopped counts as cancelled, unless a
 * node had already failed: then the failure ended the run and the node was only skipped.
 */
export function finalNodeStatus(ending: NodeEnding, runHasFailed: boolean): FinalNodeStatus {
  switch (ending) {
    case 'ran':
      return 'done';
    case 'cached':
      return 'cached';
    case 'threw':
      return 'failed';
    case 'stopped':
      return runHasFailed ? 'skipped' : 'cancelled';
    case 'input-missing':
      return 'skipped';
  }
}
