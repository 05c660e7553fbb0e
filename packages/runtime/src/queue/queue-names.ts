import type { Workflow } from '../workflow/index.js';

/** The queue of jobs any worker with at least one pack takes: workflows that name no pack, or "auto". */
export const ANY_PACK = 'auto';

/** BullMQ's queue of one model pack's jobs. */
export function queueName(pack: string): string {
  return `sa3-pack-${pack}`;
}

/** Every queue a server has put work on is named in this Redis set, for `sa3 workers`. */
export const QUEUES_KEY = 'sa3:queues';
/** Workers publish the ids of jobs to cancel here. */
export const CANCEL_CHANNEL = 'sa3:cancel';
/** Set (with a lifetime) next to the publication, so a worker that takes the job afterwards sees it too. */
export function cancelKey(jobId: string): string {
  return `sa3:cancel:${jobId}`;
}
/** An output file of a finished job, kept until the server has fetched it. */
export function outputKey(jobId: string, index: number): string {
  return `sa3:output:${jobId}:${index}`;
}
/** Each worker's heartbeat record. */
export const WORKER_KEY_PREFIX = 'sa3:worker:';

/** The pack a workflow's model nodes name (the first that is not "auto"); ANY_PACK when none does. */
export function packOfWorkflow(workflow: Workflow): string {
  for (const node of workflow.nodes) {
    for (const name of ['pack', 'model']) {
      const value = node.params?.[name];
      if (typeof value === 'string' && value !== '' && value !== ANY_PACK) return value;
    }
  }
  return ANY_PACK;
}
