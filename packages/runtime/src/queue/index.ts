export { QueueRunBackend, type QueueRunBackendOptions } from './queue-run-backend.js';
export type { JobFiles } from './job-files.js';
export { startQueueWorker, type QueueWorker, type QueueWorkerOptions } from './queue-worker.js';
export { listWorkers, type WorkerListing } from './worker-listing.js';
export { liveWorkerModels, workerModelsField, WORKER_MODELS_FIELD, type WorkerModel } from './worker-models.js';
export { QueueUnavailableError } from './queue-unavailable.js';
export { RunDetachedError } from './run-detached.js';
export { parseRedisUrl, type RedisAddress } from './redis-url.js';
export { ANY_PACK, queueName, packOfWorkflow } from './queue-names.js';
