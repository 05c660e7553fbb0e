/** Redis cannot be reached: new work is refused (503) rather than left hanging. */
export class QueueUnavailableError extends Error {
  constructor(readonly sentence: string) {
    super(sentence);
    this.name = 'QueueUnavailableError';
  }
}
