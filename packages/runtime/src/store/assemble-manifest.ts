import { stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { describeRole, isGraphRole, type CatalogueEntry, type FileRole, type GraphRole } from '../catalogue/index.js';
import {
  graphRoles,
  LATENT_CHANNELS,
  MODEL_SAMPLE_RATE,
  PACK_FORMAT,
  PACK_VERSION,
  PackError,
  SAMPLES_PER_LATENT,
  tensor,
  type Dim,
  type GraphIo,
  type GraphSpec,
  type PackFile,
  type PackManifest,
  type TensorDtype,
  type TensorSpec,
} from '../pack-format/index.js';
import { readOnnxSummary, type GraphTensor, type OnnxSummary } from './onnx-summary.js';
import { readPcmFullScale } from './pcm-full-scale.js';
import { removeRandomNoise } from './remove-random-noise.js';
import { sha256File } from './verify-files.js';

/** A file placed in a pack folder under construction. */
export interface PlacedFile extends PackFile {
  readonly role: FileRole;
}

const floatTypes: readonly string[] = ['float32', 'float16'];

/** What a decoder may output instead of what the catalogue expects: float audio or PCM-baked int32. */
const DECODER_OUTPUTS: Readonly<Record<'audio' | 'pcm', TensorSpec>> = {
  audio: tensor('audio', 'float32', [1, 2, 'N']),
  pcm: tensor('pcm', 'int32', [1, 'N', 2]),
};

/** The decoder's I/O with its output swapped for the other kind when the graph has that one instead. */
function decoderIo(io: GraphIo, summary: OnnxSummary): GraphIo {
  const has = (name: string) => summary.outputs.some((t) => t.name === name);
  if (Object.values(io.outputs).some((spec) => has(spec.name))) return io;
  const other = (Object.entries(DECODER_OUTPUTS) as ['audio' | 'pcm', TensorSpec][]).find(([, spec]) => has(spec.name));
  return other ? { inputs: io.inputs, outputs: { [other[0]]: other[1] } } : io;
}

/** The full scale of a PCM-baked decoder, read from its graph, or a sentence saying it cannot be. */
async function pcmFullScale(dir: string, decoder: GraphSpec): Promise<number | undefined> {
  const pcm = decoder.outputs.pcm;
  if (!pcm) return undefined;
  const scale = await readPcmFullScale(join(dir, decoder.file), pcm.name);
  if (scale === null)
    throw new PackError(
      'graph_mismatch',
      `${decoder.file} outputs int32 "${pcm.name}", but its graph does not end in the multiply by a constant sa3 reads the PCM full scale from`,
      decoder.file,
    );
  return scale;
}

function optionalInputs(role: GraphRole, entry: CatalogueEntry): readonly string[] {
  return role === 'dit' && entry.ditLayout === 'explicit' ? graphRoles.dit.explicit.optionalInputs : [];
}

/** The catalogue's expected tensor checked against the graph's own, taking its real dtype and shape. */
function fitTensor(file: string, kind: 'input' | 'output', role: string, expected: TensorSpec, actual: readonly GraphTensor[]): TensorSpec | null {
  const found = actual.find((t) => t.name === expected.name);
  if (!found) return null;
  // The engine converts between float32 and float16 itself; any other difference it cannot feed.
  const compatible = found.dtype === expected.dtype || (floatTypes.includes(found.dtype) && floatTypes.includes(expected.dtype));
  if (!compatible)
    throw new PackError(
      'graph_mismatch',
      `${file} ${kind} "${found.name}" (the ${role} ${kind}) is ${found.dtype}, but sa3 ${kind === 'input' ? 'feeds' : 'reads'} ${expected.dtype}`,
      file,
    );
  const shape: Dim[] =
    found.shape && found.shape.length === expected.shape.length
      ? found.shape.map((d, i) => (d === '?' || d === '' ? expected.shape[i]! : d))
      : [...expected.shape];
  return { name: found.name, dtype: found.dtype as TensorDtype, shape };
}

function fitGraph(file: string, role: GraphRole, entry: CatalogueEntry, io: GraphIo, summary: OnnxSummary): Pick<GraphSpec, 'inputs' | 'outputs'> {
  const optional = optionalInputs(role, entry);
  const side = (kind: 'input' | 'output', expected: Readonly<Record<string, TensorSpec>>, actual: readonly GraphTensor[]) => {
    const fitted: Record<string, TensorSpec> = {};
    for (const [tensorRole, spec] of Object.entries(expected)) {
      const tensor = fitTensor(file, kind, tensorRole, spec, actual);
      if (tensor) fitted[tensorRole] = tensor;
      else if (!(kind === 'input' && optional.includes(tensorRole))) {
        throw new PackError(
          'graph_mismatch',
          `${file} has no ${kind} "${spec.name}" (its ${tensorRole} ${kind}); its ${kind}s are ${actual.map((t) => t.name).join(', ') || 'none'}: it is not the ${describeRole(role)} this pack expects`,
          file,
        );
      }
    }
    return fitted;
  };
  return { inputs: side('input', io.inputs, summary.inputs), outputs: side('output', io.outputs, summary.outputs) };
}

/**
 * The files with every graph's random ops replaced by zeros (see remove-random-noise.ts), the
 * size and sha256 of a rewritten graph taken again. A graph whose size differs from what was
 * placed was rewritten by an earlier, interrupted assembly.
 */
async function withoutRandomNoise(dir: string, files: readonly PlacedFile[]): Promise<PlacedFile[]> {
  return Promise.all(
    files.map(async (file) => {
      if (!isGraphRole(file.role)) return file;
      const path = join(dir, file.path);
      const replaced = await removeRandomNoise(path);
      const { size } = await stat(path);
      return replaced > 0 || size !== file.bytes ? { ...file, bytes: size, sha256: await sha256File(path) } : file;
    }),
  );
}

/**
 * The sa3-pack.json of a catalogue pack whose files are in `dir`: each graph's I/O read from
 * the graph itself and checked against the catalogue, its external data files attached.
 */
export async function assembleManifest(
  entry: CatalogueEntry,
  dir: string,
  placed: readonly PlacedFile[],
  source: PackManifest['source'],
): Promise<PackManifest> {
  const files = await withoutRandomNoise(dir, placed);
  const byRole = (role: FileRole) => files.find((f) => f.role === role);
  const present = new Set(files.map((f) => f.path));
  const graphs: Partial<Record<GraphRole, GraphSpec>> = {};
  for (const [role, io] of Object.entries(entry.io) as [GraphRole, GraphIo][]) {
    const file = byRole(role);
    if (!file) throw new PackError('graph_missing', `the pack ${entry.id} is missing its ${describeRole(role)}`, undefined);
    const summary = await readOnnxSummary(join(dir, file.path));
    if (!summary)
      throw new PackError('graph_unloadable', `${file.path} is not an ONNX model, but it should be the ${describeRole(role)} of ${entry.id}`, file.path);
    const externalData = summary.externalFiles.map((location) => posix.normalize(posix.join(posix.dirname(file.path), location)));
    for (const data of externalData) {
      if (!present.has(data)) throw new PackError('file_missing', `${file.path} loads its weights from ${data}, which the pack does not have`, data);
    }
    const fitted = fitGraph(file.path, role, entry, role === 'decoder' ? decoderIo(io, summary) : io, summary);
    graphs[role] = { file: file.path, ...(externalData.length > 0 ? { externalData } : {}), ...fitted };
  }
  const tokenizer = byRole('tokenizer');
  if (!tokenizer) throw new PackError('file_missing', `the pack ${entry.id} is missing its tokenizer`);
  for (const required of ['textEncoder', 'dit', 'encoder', 'decoder'] as const) {
    if (!graphs[required]) throw new PackError('graph_missing', `the pack ${entry.id} has no ${describeRole(required)}`);
  }
  const fullScale = await pcmFullScale(dir, graphs.decoder!);
  return {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    id: entry.id,
    title: entry.title,
    family: entry.family,
    objective: entry.objective,
    sampleRate: MODEL_SAMPLE_RATE,
    latentChannels: LATENT_CHANNELS,
    samplesPerLatent: SAMPLES_PER_LATENT,
    maxSamples: entry.maxSamples,
    text: { tokenizer: tokenizer.path, ...entry.text },
    ditLayout: entry.ditLayout,
    codec: { ...entry.codec, ...(fullScale === undefined ? {} : { pcmFullScale: fullScale }) },
    graphs: graphs as PackManifest['graphs'],
    files: files.map(({ path, bytes, sha256 }) => ({ path, bytes, sha256 })).sort((a, b) => a.path.localeCompare(b.path)),
    source: { ...source, licence: entry.licence, ...(entry.note ? { note: entry.note } : {}) },
  };
}
