import type { AudioClip, EncodedFile, OutputSpecs } from '@sa3/nodes';

export type NodeOutputs = Readonly<Record<string, unknown>>;

/** Roughly what outputs hold in memory, by their declared socket types: samples and file bytes count, the rest is small. */
function approximateBytes(outputs: NodeOutputs, sockets: OutputSpecs): number {
  let bytes = 256;
  for (const [name, value] of Object.entries(outputs)) {
    const type = sockets[name]?.type;
    if (type === 'audio') bytes += (value as AudioClip).channels.reduce((sum, c) => sum + c.byteLength, 0);
    else if (type === 'file') bytes += (value as EncodedFile).bytes.byteLength;
    else bytes += 4096;
  }
  return bytes;
}

/** Node results by cache key, least recently used evicted first once over the byte budget. */
export class ResultCache {
  private readonly entries = new Map<string, { outputs: NodeOutputs; bytes: number }>();
  private totalBytes = 0;

  constructor(readonly maxBytes = 2 * 1024 ** 3) {}

  get(key: string): NodeOutputs | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.outputs;
  }

  /** `sockets` are the declared outputs of the node that made them. */
  set(key: string, outputs: NodeOutputs, sockets: OutputSpecs): void {
    const bytes = approximateBytes(outputs, sockets);
    if (bytes > this.maxBytes) return;
    this.delete(key);
    this.entries.set(key, { outputs, bytes });
    this.totalBytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.totalBytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.totalBytes -= entry.bytes;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }

  get size(): number {
    return this.entries.size;
  }
}
