import { writeFile } from 'node:fs/promises';

export interface Float32Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Serializes float32 tensors in the safetensors format (header padded to 8 bytes, as the reference writer does). */
export function safetensorsBytes(tensors: Readonly<Record<string, Float32Tensor>>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, { shape, data }] of Object.entries(tensors)) {
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== data.length)
      throw new RangeError(`safetensors tensor "${name}": shape [${shape.join(', ')}] holds ${count} values but the data has ${data.length}`);
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.byteLength + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.byteLength), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.byteLength;
  for (const { data } of Object.values(tensors)) {
    Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, at);
    at += data.byteLength;
  }
  return out;
}

export async function writeSafetensors(
  path: string,
  tensors: Readonly<Record<string, Float32Tensor>>,
  metadata?: Readonly<Record<string, string>>,
): Promise<void> {
  await writeFile(path, safetensorsBytes(tensors, metadata));
}
