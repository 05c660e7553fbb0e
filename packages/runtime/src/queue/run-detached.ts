/** A run's server stopped while its job went on: the run has not ended, and the next server started with the same Redis and output folder adopts it. */
export class RunDetachedError extends Error {
  constructor() {
    super('the server stopped while this run went on on a worker; it is picked up again when the server starts');
    this.name = 'RunDetachedError';
  }
}
