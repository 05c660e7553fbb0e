/**
 * The U/V bases of the -xs adapter types. The official loader computes them from the base weight
 * W0 [fan_out, fan_in]: U, S, Vh = svd(W0); each column of U (and the matching row of Vh) is
 * negated when its entry of largest magnitude is negative; U = U[:, :r], V = Vh[:r].T, float32.
 * A bases file (the official svd_bases dict saved as safetensors, "<root key>.U" / ".V") gives
 * them instead, exactly as training saw them.
 */
import { SafetensorsError, SafetensorsFile } from '../model-files/index.js';
import { LoraError } from './lora-error.js';
import { topSingularVectors } from './top-singular-vectors.js';

export interface SvdBases {
  /** [fan_out, r] row-major. */
  readonly u: Float32Array;
  /** [fan_in, r] row-major. */
  readonly v: Float32Array;
}

export function computeSvdBases(w0: Float32Array, fanOut: number, fanIn: number, rank: number): SvdBases {
  const { u, v } = topSingularVectors(w0, fanOut, fanIn, rank);
  for (let j = 0; j < rank; j++) {
    let pivot = 0;
    for (let i = 1; i < fanOut; i++) if (Math.abs(u[i * rank + j]!) > Math.abs(u[pivot * rank + j]!)) pivot = i;
    if (u[pivot * rank + j]! >= 0) continue;
    for (let i = 0; i < fanOut; i++) u[i * rank + j] = -u[i * rank + j]!;
    for (let i = 0; i < fanIn; i++) v[i * rank + j] = -v[i * rank + j]!;
  }
  return { u: Float32Array.from(u), v: Float32Array.from(v) };
}

/** Bases read from a file, by the root key of the weight they belong to. */
export interface SvdBasesFile {
  readonly path: string;
  /** The first `rank` columns of the stored bases of `rootKey`, or undefined when the file has none for it. */
  basesFor(rootKey: string, fanOut: number, fanIn: number, rank: number): SvdBases | undefined;
}

export async function readSvdBasesFile(path: string): Promise<SvdBasesFile> {
  if (path.endsWith('.pt') || path.endsWith('.pth'))
    throw new LoraError('unsupported', `${path} is a torch pickle, which is not read here; give the same bases as safetensors ("<root key>.U" and ".V")`);
  let file: SafetensorsFile;
  try {
    file = await SafetensorsFile.open(path);
  } catch (error) {
    if (error instanceof SafetensorsError) throw new LoraError('unreadable', error.message);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new LoraError('unreadable', `the SVD bases file ${path} does not exist`);
    throw error;
  }
  const stored = new Map<string, { shape: readonly number[]; data: Float32Array }>();
  try {
    for (const [key, info] of file.tensors) stored.set(key, { shape: info.shape, data: await file.readFloat32(key) });
  } finally {
    await file.close();
  }
  return {
    path,
    basesFor(rootKey, fanOut, fanIn, rank) {
      const u = stored.get(`${rootKey}.U`);
      const v = stored.get(`${rootKey}.V`);
      if (!u || !v) return undefined;
      const columns = (t: { shape: readonly number[]; data: Float32Array }, rows: number, name: string): Float32Array => {
        const [r0, c0] = t.shape;
        if (t.shape.length !== 2 || r0 !== rows || c0! < rank)
          throw new LoraError(
            'shape_mismatch',
            `${path} holds "${rootKey}.${name}" of shape [${t.shape.join(', ')}], but the weight needs [${rows}, ${rank}] or more columns`,
          );
        const out = new Float32Array(rows * rank);
        for (let i = 0; i < rows; i++) out.set(t.data.subarray(i * c0!, i * c0! + rank), i * rank);
        return out;
      };
      return { u: columns(u, fanOut, 'U'), v: columns(v, fanIn, 'V') };
    },
  };
}
