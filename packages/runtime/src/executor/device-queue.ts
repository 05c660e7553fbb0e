import { cancelledError } from '@sa3/nodes';

/** One work queue per device: model work on the same device runs one job at a time, in order. */
export class DeviceQueues {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(device: string, signal: AbortSignal, job: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(device) ?? Promise.resolve();
    const result = previous.then(
      () => (signal.aborted ? Promise.reject(cancelledError()) : job()),
      () => (signal.aborted ? Promise.reject(cancelledError()) : job()),
    );
    const tail = result.catch(() => undefined);
    this.tails.set(device, tail);
    void tail.then(() => {
      if (this.tails.get(device) === tail) this.tails.delete(device);
    });
    return result;
  }
}
