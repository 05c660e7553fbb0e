/**
 * A synthetic SA3 checkpoint folder with the official file layout, key names and shapes of
 * small or medium and random weights, for measuring conversion, int8 accuracy and speed at
 * real size without the gated weights:
 *   <dir>/model_config.json, model.safetensors (F32: DiT, SAME codec, conditioner)
 *   <dir>/t5gemma-b-b-ul2/{config.json, model.safetensors (BF16, encoder tensors),
 *                          tokenizer.json, tokenizer_config.json}
 * Values are streamed to disk a block at a time (medium's root file is 9.2 GB), and each run
 * with the same seed writes the same bytes. The tokenizer is the test pack's small word-level
 * one: its ids are valid rows of the full-size embedding table.
 */
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { realShapedModel, type RealShapedFamily, type RealShapedModel, type RealShapedOptions } from './real-shaped-configs.js';
import { checkpointTensorShapes, textEncoderTensorShapes, type TensorShape } from './real-shaped-tensors.js';
import { tokenizerConfigJson, tokenizerJson } from './tokenizer-json.js';

export const TEXT_SUBFOLDER = 't5gemma-b-b-ul2';
const BLOCK_VALUES = 1 << 22;

export interface RealShapedCheckpointOptions extends RealShapedOptions {
  readonly seed?: number;
  /** Bytes written so far of the total, after each block. */
  readonly onProgress?: (written: number, total: number) => void;
}

export interface WrittenCheckpoint {
  readonly model: RealShapedModel;
  /** Bytes of the two safetensors files together. */
  readonly bytes: number;
}

type StoredDtype = 'F32' | 'BF16';

/** xorshift32 draws in [-1, 1): fresh values everywhere, so no weight matrix repeats rows. */
class Uniform {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  fill(out: Float32Array, offset: number, scale: number): void {
    let s = this.state;
    for (let i = 0; i < out.length; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      out[i] = offset + ((s >>> 0) / 2 ** 31 - 1) * scale;
    }
    this.state = s;
  }
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Header bytes of a safetensors file (JSON padded with spaces to 8 bytes, after its u64 length). */
function header(tensors: readonly TensorShape[], dtype: StoredDtype): { bytes: Buffer; dataBytes: number } {
  const width = dtype === 'F32' ? 4 : 2;
  const entries: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const { name, shape } of tensors) {
    const size = count(shape) * width;
    entries[name] = { dtype, shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(entries);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const bytes = Buffer.alloc(8 + Buffer.byteLength(json));
  bytes.writeBigUInt64LE(BigInt(Buffer.byteLength(json)), 0);
  bytes.write(json, 8, 'utf8');
  return { bytes, dataBytes: offset };
}

/** BF16 keeps float32's top 16 bits (rounded to nearest even). */
function toBfloat16(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    out[i] = (b + 0x7fff + ((b >>> 16) & 1)) >>> 16;
  }
  return out;
}

async function writeSafetensorsStreaming(
  path: string,
  tensors: readonly TensorShape[],
  dtype: StoredDtype,
  random: Uniform,
  progress: (bytes: number) => void,
): Promise<number> {
  const { bytes: head, dataBytes } = header(tensors, dtype);
  const file = await open(path, 'w');
  try {
    await file.write(head);
    const block = new Float32Array(BLOCK_VALUES);
    for (const { shape, fill } of tensors) {
      const total = count(shape);
      for (let done = 0; done < total; done += BLOCK_VALUES) {
        const n = Math.min(BLOCK_VALUES, total - done);
        const values = block.subarray(0, n);
        if (fill.kind === 'frequencies') for (let i = 0; i < n; i++) values[i] = 1 / 10000 ** ((2 * (done + i)) / (2 * total));
        else random.fill(values, fill.kind === 'gain' ? 1 : 0, fill.bound);
        const raw = dtype === 'F32' ? values : toBfloat16(values);
        await file.write(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
        progress(raw.byteLength);
      }
    }
  } finally {
    await file.close();
  }
  return head.byteLength + dataBytes;
}

/** The tensors the folder holds and their total size, without writing anything. */
export function realShapedCheckpointSize(model: RealShapedModel): number {
  return header(checkpointTensorShapes(model.modelConfig), 'F32').dataBytes + header(textEncoderTensorShapes(model.textConfig), 'BF16').dataBytes;
}

/**
 * Writes the checkpoint folder `dir` of `family` (or of the configs given as a model); a failure
 * removes what it wrote.
 */
export async function writeRealShapedCheckpoint(
  dir: string,
  family: RealShapedFamily | RealShapedModel,
  options: RealShapedCheckpointOptions = {},
): Promise<WrittenCheckpoint> {
  const model = typeof family === 'string' ? realShapedModel(family, options) : family;
  const root = checkpointTensorShapes(model.modelConfig);
  const text = textEncoderTensorShapes(model.textConfig);
  const total = realShapedCheckpointSize(model);
  let written = 0;
  const progress = (bytes: number) => {
    written += bytes;
    options.onProgress?.(written, total);
  };
  const textDir = join(dir, TEXT_SUBFOLDER);
  await mkdir(textDir, { recursive: true });
  try {
    const random = new Uniform(options.seed ?? 1);
    await writeFile(join(dir, 'model_config.json'), `${JSON.stringify(model.modelConfig, null, 2)}\n`);
    await writeFile(join(textDir, 'config.json'), `${JSON.stringify(model.textConfig, null, 2)}\n`);
    await writeFile(join(textDir, 'tokenizer.json'), JSON.stringify(tokenizerJson()));
    await writeFile(join(textDir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfigJson()));
    const bytes =
      (await writeSafetensorsStreaming(join(dir, 'model.safetensors'), root, 'F32', random, progress)) +
      (await writeSafetensorsStreaming(join(textDir, 'model.safetensors'), text, 'BF16', random, progress));
    return { model, bytes };
  } catch (error) {
    for (const path of ['model_config.json', 'model.safetensors', TEXT_SUBFOLDER]) await rm(join(dir, path), { recursive: true, force: true });
    throw error;
  }
}
