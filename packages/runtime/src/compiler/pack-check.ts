/**
 * The last step of a conversion: every graph of the pack is loaded in onnxruntime-node and run
 * once on a small input (the text encoder on a short prompt, the DiT at 4 latents, the codec
 * on 2 latents of audio), and its outputs must be finite.
 */
import { join } from 'node:path';
import { PromptTokenizer, ort } from '../engine/index.js';
import type { GraphSpec, PackManifest, TensorSpec } from '../pack-format/index.js';
import { ConvertError } from './convert-error.js';

const CHECK_PROMPT = 'a short prompt';
const CHECK_LATENTS = 2;
const DIT_CHECK_LATENTS = 4;

/** A deterministic small-valued tensor of the spec's dtype with symbolic dims taken from `dims`. */
function probe(spec: TensorSpec, dims: Readonly<Record<string, number>>): ort.Tensor {
  const shape = spec.shape.map((d) => (typeof d === 'number' ? d : (dims[d] ?? 1)));
  const size = shape.reduce((a, b) => a * b, 1);
  if (spec.dtype === 'bool') return new ort.Tensor('bool', new Uint8Array(size).fill(1), shape);
  if (spec.dtype !== 'float32') throw new ConvertError('check_failed', `the check cannot feed the ${spec.dtype} input "${spec.name}"`);
  return new ort.Tensor(
    'float32',
    Float32Array.from({ length: size }, (_, i) => 0.5 * Math.sin(i * 0.37)),
    shape,
  );
}

function feedsFor(graph: GraphSpec, dims: Readonly<Record<string, number>>): Record<string, ort.Tensor> {
  return Object.fromEntries(Object.values(graph.inputs).map((spec) => [spec.name, probe(spec, dims)]));
}

async function runOnce(dir: string, role: string, graph: GraphSpec, feeds: Record<string, ort.Tensor>): Promise<void> {
  let session: ort.InferenceSession | undefined;
  let outputs: ort.InferenceSession.OnnxValueMapType;
  try {
    session = await ort.InferenceSession.create(join(dir, graph.file));
    outputs = await session.run(feeds);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    throw new ConvertError('check_failed', `the converted ${role} graph ${graph.file} does not run in onnxruntime-node on a small input: ${message}`);
  } finally {
    await session?.release();
  }
  for (const [name, value] of Object.entries(outputs)) {
    const data = value.data as Float32Array;
    if (!data.every(Number.isFinite))
      throw new ConvertError('check_failed', `the converted ${role} graph ${graph.file} returned NaN or infinity in "${name}" on a small input`);
  }
}

/** Runs each graph of the pack in `dir` once; `onGraph` is called after each. */
export async function checkConvertedPack(dir: string, manifest: PackManifest, onGraph: (done: number, total: number) => void = () => {}): Promise<void> {
  const { graphs } = manifest;
  const tokenizer = await PromptTokenizer.load(join(dir, manifest.text.tokenizer), manifest.text.maxTokens);
  const { ids, mask } = tokenizer.encode(CHECK_PROMPT);
  const shape = [1, manifest.text.maxTokens];
  const text = graphs.textEncoder.inputs;
  const checks: [string, GraphSpec, Record<string, ort.Tensor>][] = [
    [
      'text encoder',
      graphs.textEncoder,
      { [text.input_ids!.name]: new ort.Tensor('int64', ids, shape), [text.attention_mask!.name]: new ort.Tensor('int64', mask, shape) },
    ],
    ['DiT', graphs.dit, feedsFor(graphs.dit, { batch: 1, L: DIT_CHECK_LATENTS })],
    ['codec encoder', graphs.encoder, feedsFor(graphs.encoder, { batch: 1, N: CHECK_LATENTS * manifest.samplesPerLatent })],
    ['codec decoder', graphs.decoder, feedsFor(graphs.decoder, { batch: 1, L: CHECK_LATENTS })],
  ];
  for (const [i, [role, graph, feeds]] of checks.entries()) {
    await runOnce(dir, role, graph, feeds);
    onGraph(i + 1, checks.length);
  }
}
