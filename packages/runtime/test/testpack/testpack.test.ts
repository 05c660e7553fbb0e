import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACK_MANIFEST, type GraphSpec, type PackManifest } from '../../src/pack-format/manifest.js';
import { LATENT_CHANNELS, SAMPLES_PER_LATENT } from '../../src/pack-format/index.js';
import {
  TESTPACK_NOTES,
  TONE_AMPLITUDE,
  UNK_ID,
  noteByWord,
  noteChannels,
  secondsEmbedding,
  tokenId,
  toneLatentFrame,
  TEXTURE,
  writeTestPack,
  type TestPackOptions,
} from '../../src/testpack/index.js';
import { SafetensorsFile } from '../../src/model-files/safetensors.js';

const variants: readonly TestPackOptions[] = [
  { objective: 'rf_denoiser', layout: 'baked' },
  { objective: 'rectified_flow', layout: 'baked' },
  { objective: 'rf_denoiser', layout: 'explicit' },
  { objective: 'rectified_flow', layout: 'explicit' },
];

/** Deterministic uniform values in [-1, 1). */
function noise(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return (((z ^ (z >>> 14)) >>> 0) / 2 ** 32) * 2 - 1;
  });
}

const f32 = (data: Float32Array, dims: readonly number[]): ort.Tensor => new ort.Tensor('float32', data, dims);
const i64 = (data: readonly number[], dims: readonly number[]): ort.Tensor =>
  new ort.Tensor(
    'int64',
    BigInt64Array.from(data, (v) => BigInt(v)),
    dims,
  );
const floats = (t: ort.Tensor | undefined): Float32Array => {
  if (!t) throw new Error('missing output');
  return t.data as Float32Array;
};

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** The first index where a and b differ (bit for bit, as floats), or -1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** [1,256,L] with the same 256-channel frame in every latent. */
function repeatFrame(frame: Float32Array, latents: number): Float32Array {
  const out = new Float32Array(LATENT_CHANNELS * latents);
  for (let c = 0; c < LATENT_CHANNELS; c++) out.fill(frame[c]!, c * latents, (c + 1) * latents);
  return out;
}

/** A latent with random coefficients in the note channels only (the ones the codec carries). */
function noteLatent(latents: number, seed: number): Float32Array {
  const values = noise(LATENT_CHANNELS * latents, seed);
  const z = new Float32Array(LATENT_CHANNELS * latents);
  for (const { index } of TESTPACK_NOTES) {
    const { left, right } = noteChannels(index);
    for (const c of [...left, ...right]) for (let l = 0; l < latents; l++) z[c * latents + l] = 0.3 * values[c * latents + l]!;
  }
  return z;
}

describe('writeTestPack', () => {
  let root: string;
  const packs = new Map<string, { dir: string; manifest: PackManifest }>();
  const sessions = new Map<string, ort.InferenceSession>();

  const packFor = (layout: 'baked' | 'explicit', objective: 'rf_denoiser' | 'rectified_flow' = 'rf_denoiser') => {
    const pack = packs.get(`${objective}-${layout}`);
    if (!pack) throw new Error('pack not generated');
    return pack;
  };

  async function session(dir: string, spec: GraphSpec): Promise<ort.InferenceSession> {
    const path = join(dir, spec.file);
    let s = sessions.get(path);
    if (!s) {
      s = await ort.InferenceSession.create(path);
      sessions.set(path, s);
    }
    return s;
  }

  async function run(
    layout: 'baked' | 'explicit',
    graph: 'textEncoder' | 'dit' | 'encoder' | 'decoder',
    feeds: Record<string, ort.Tensor>,
  ): Promise<Record<string, ort.Tensor>> {
    const { dir, manifest } = packFor(layout);
    return (await session(dir, manifest.graphs[graph])).run(feeds);
  }

  async function tokenizer(dir: string): Promise<Tokenizer> {
    const json = JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8')) as object;
    const config = JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8')) as object;
    return new Tokenizer(json, config);
  }

  /** input_ids and attention_mask for a prompt, right-padded to 256 with id 0. */
  async function tokenize(prompt: string): Promise<{ ids: number[]; mask: number[] }> {
    const encoded = (await tokenizer(packFor('baked').dir)).encode(prompt);
    const ids = Array.from({ length: 256 }, (_, i) => encoded.ids[i] ?? 0);
    const mask = Array.from({ length: 256 }, (_, i) => (i < encoded.ids.length ? 1 : 0));
    return { ids, mask };
  }

  async function encodeText(prompt: string): Promise<{ hidden: Float32Array; mask: number[] }> {
    const { ids, mask } = await tokenize(prompt);
    const out = await run('baked', 'textEncoder', { input_ids: i64(ids, [1, 256]), attention_mask: i64(mask, [1, 256]) });
    return { hidden: floats(out.hidden_states), mask };
  }

  async function bakedVelocity(prompt: string, x: Float32Array, t: number, local: Float32Array, seconds = 10): Promise<Float32Array> {
    const latents = x.length / LATENT_CHANNELS;
    const { hidden, mask } = await encodeText(prompt);
    const out = await run('baked', 'dit', {
      x: f32(x, [1, 256, latents]),
      t: f32(Float32Array.of(t), [1]),
      t5_hidden: f32(hidden, [1, 256, 768]),
      t5_mask: f32(Float32Array.from(mask), [1, 256]),
      seconds_total: f32(Float32Array.of(seconds), [1]),
      local_add_cond: f32(local, [1, 257, latents]),
    });
    return floats(out.velocity);
  }

  const denoised = (x: Float32Array, t: number, v: Float32Array): Float32Array => x.map((xi, i) => xi - t * v[i]!);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sa3-testpack-'));
    for (const options of variants) {
      const dir = join(root, `${options.objective}-${options.layout}`);
      packs.set(`${options.objective}-${options.layout}`, { dir, manifest: await writeTestPack(dir, options) });
    }
  });

  afterAll(async () => {
    for (const s of sessions.values()) await s.release();
    await rm(root, { recursive: true, force: true });
  });

  it('writes a manifest matching the format, with every file, its size and sha256', async () => {
    for (const options of variants) {
      const { dir, manifest } = packFor(options.layout, options.objective);
      expect(JSON.parse(await readFile(join(dir, PACK_MANIFEST), 'utf8'))).toEqual(manifest);
      expect(manifest).toMatchObject({
        format: 'sa3-pack',
        version: 1,
        id: `test-small-${options.objective === 'rf_denoiser' ? 'rf' : 'base'}-${options.layout}`,
        family: 'small',
        objective: options.objective,
        sampleRate: 44100,
        latentChannels: 256,
        samplesPerLatent: 4096,
        maxSamples: 5_292_032,
        text: { tokenizer: 'tokenizer.json', maxTokens: 256, hiddenSize: 768 },
        ditLayout: options.layout,
        codec: { chunkLatents: 128, overlapLatents: 32, encoderMultipleLatents: 2, decoderEvenLatents: false },
      });
      expect(manifest.conditionerWeights).toBe(options.layout === 'explicit' ? 'conditioner.safetensors' : undefined);
      const expectedFiles = ['decoder.onnx', 'dit.onnx', 'encoder.onnx', 'text_encoder.onnx', 'tokenizer.json', 'tokenizer_config.json'];
      if (options.layout === 'explicit') expectedFiles.push('conditioner.safetensors');
      expect(manifest.files.map((f) => f.path)).toEqual(expectedFiles.sort());
      for (const file of manifest.files) {
        const bytes = await readFile(join(dir, file.path));
        expect(file.bytes).toBe(bytes.byteLength);
        expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      }
    }
  });

  it('declares in the manifest exactly the inputs and outputs onnxruntime sees', async () => {
    for (const options of variants) {
      const { dir, manifest } = packFor(options.layout, options.objective);
      for (const spec of Object.values(manifest.graphs)) {
        if (!spec) continue;
        const s = await session(dir, spec);
        const fromManifest = (specs: GraphSpec['inputs']) => Object.values(specs).map((t) => ({ name: t.name, isTensor: true, type: t.dtype, shape: t.shape }));
        expect(s.inputMetadata).toEqual(fromManifest(spec.inputs));
        expect(s.outputMetadata).toEqual(fromManifest(spec.outputs));
      }
    }
    const { graphs } = packFor('baked').manifest;
    expect(Object.keys(graphs.dit.inputs)).toEqual(['x', 't', 't5_hidden', 't5_mask', 'seconds_total', 'local_add_cond']);
    expect(graphs.dit.inputs.t5_mask).toEqual({ name: 't5_mask', dtype: 'float32', shape: [1, 256] });
    expect(graphs.dit.outputs.velocity).toEqual({ name: 'velocity', dtype: 'float32', shape: [1, 256, 'L'] });
    expect(graphs.textEncoder.inputs.input_ids).toEqual({ name: 'input_ids', dtype: 'int64', shape: [1, 256] });
    expect(graphs.textEncoder.outputs.hidden_states).toEqual({ name: 'hidden_states', dtype: 'float32', shape: [1, 256, 768] });
    expect(graphs.encoder.inputs.audio?.shape).toEqual([1, 2, 'N']);
    expect(graphs.encoder.outputs.latents?.shape).toEqual([1, 256, 'L']);
    expect(graphs.decoder.outputs.audio?.shape).toEqual([1, 2, 'N']);
    const explicit = packFor('explicit').manifest.graphs.dit;
    expect(Object.keys(explicit.inputs)).toEqual(['x', 't', 'cross_attn_cond', 'global_embed', 'local_add_cond', 'padding_mask']);
    expect(explicit.inputs.cross_attn_cond?.shape).toEqual([1, 257, 768]);
    expect(explicit.inputs.padding_mask).toEqual({ name: 'padding_mask', dtype: 'bool', shape: [1, 'L'] });
  });

  it('ships a WordLevel tokenizer.json that adds no BOS/EOS', async () => {
    const t = await tokenizer(packFor('explicit').dir);
    expect(t.encode('a soft mid tone')).toEqual({
      ids: [tokenId('a'), tokenId('soft'), tokenId('mid'), tokenId('tone')],
      tokens: ['a', 'soft', 'mid', 'tone'],
      attention_mask: [1, 1, 1, 1],
    });
    expect(t.encode('A Soft MID tone').ids).toEqual(t.encode('a soft mid tone').ids);
    expect(t.encode('mid piano').ids).toEqual([tokenId('mid'), UNK_ID]);
    expect(t.encode('').ids).toEqual([]);
  });

  it('text encoder: a note word becomes a one-hot at its note index, everything else zero', async () => {
    const { hidden } = await encodeText('a soft mid tone');
    const mid = noteByWord('mid').index;
    const row = (r: number) => Array.from(hidden.subarray(r * 768, (r + 1) * 768));
    const expectedRow = Array.from({ length: 768 }, (_, d) => (d === mid ? 1 : 0));
    expect(row(2)).toEqual(expectedRow);
    for (const r of [0, 1, 3, 4, 255]) expect(row(r).every((v) => v === 0)).toBe(true);
  });

  /** The generated part of the target: the tone plus the faint texture from x's sine channels. */
  function withTexture(tone: Float32Array, x: Float32Array, latents: number, keep: readonly number[] = []): Float32Array {
    const out = tone.slice();
    for (let c = 1; c < 256; c += 2)
      for (let l = 0; l < latents; l++) if (!keep[l]) out[c * latents + l] = out[c * latents + l]! + TEXTURE * x[c * latents + l]!;
    return out;
  }

  it("DiT: x - t·v is the prompt tone, a 0.5 sine in the note's channel pair of both halves", async () => {
    const latents = 5;
    const x = noise(256 * latents, 1);
    const t = 0.7;
    const v = await bakedVelocity('a soft mid tone', x, t, new Float32Array(257 * latents));
    const expected = repeatFrame(toneLatentFrame(['mid']), latents);
    expect(maxAbsDiff(denoised(x, t, v), withTexture(expected, x, latents))).toBeLessThan(1e-6);
    const { left, right } = noteChannels(noteByWord('mid').index);
    expect(expected[left[1] * latents]).toBe(TONE_AMPLITUDE);
    expect(expected[right[1] * latents + 4]).toBe(TONE_AMPLITUDE);
    expect(expected.filter((value) => value !== 0).length).toBe(2 * latents);

    const chord = await bakedVelocity('low and high with rain', x, 0.25, new Float32Array(257 * latents));
    expect(maxAbsDiff(denoised(x, 0.25, chord), withTexture(repeatFrame(toneLatentFrame(['low', 'high']), latents), x, latents))).toBeLessThan(1e-6);
    const silence = await bakedVelocity('soft rain', x, 1, new Float32Array(257 * latents));
    expect(maxAbsDiff(denoised(x, 1, silence), withTexture(new Float32Array(256 * latents), x, latents))).toBeLessThan(1e-6);
  });

  it('DiT: kept frames of local_add_cond come back as the masked source', async () => {
    const latents = 6;
    const x = noise(256 * latents, 2);
    const source = noise(256 * latents, 3);
    const keep = [1, 1, 0, 0, 1, 0];
    const local = new Float32Array(257 * latents);
    for (let l = 0; l < latents; l++) {
      local[l] = keep[l]!;
      for (let c = 0; c < 256; c++) local[(c + 1) * latents + l] = keep[l]! * source[c * latents + l]!;
    }
    const t = 0.9;
    const out = denoised(x, t, await bakedVelocity('bright tone', x, t, local));
    const tone = toneLatentFrame(['bright']);
    for (let c = 0; c < 256; c++) {
      for (let l = 0; l < latents; l++) {
        const want = keep[l] ? source[c * latents + l]! : tone[c]! + (c % 2 === 1 ? TEXTURE * x[c * latents + l]! : 0);
        expect(Math.abs(out[c * latents + l]! - want)).toBeLessThan(1e-6);
      }
    }
  });

  it('DiT: the baked and explicit layouts give identical velocities for the same prompt', async () => {
    const latents = 4;
    const x = noise(256 * latents, 4);
    const local = new Float32Array(257 * latents);
    local.fill(1, 0, 2); // keep the first two frames
    local.set(noise(2, 5), latents + 1);
    const seconds = 30;
    const prompt = 'the whistle and the hum';
    const baked = await bakedVelocity(prompt, x, 0.5, local, seconds);

    // Built by hand as a host would: prompt rows with the padding embedding (zeros) where
    // the mask is 0, then the seconds token from conditioner.safetensors.
    const { dir } = packFor('explicit');
    const weights = await SafetensorsFile.open(join(dir, 'conditioner.safetensors'));
    const padding = await weights.readFloat32('padding_embedding');
    expect(weights.info('seconds_weight').shape).toEqual([768, 256]);
    await weights.close();
    const { hidden, mask } = await encodeText(prompt);
    const cross = new Float32Array(257 * 768);
    for (let r = 0; r < 256; r++) cross.set(mask[r] ? hidden.subarray(r * 768, (r + 1) * 768) : padding, r * 768);
    const secondsToken = secondsEmbedding(seconds);
    cross.set(secondsToken, 256 * 768);
    const out = await run('explicit', 'dit', {
      x: f32(x, [1, 256, latents]),
      t: f32(Float32Array.of(0.5), [1]),
      cross_attn_cond: f32(cross, [1, 257, 768]),
      global_embed: f32(secondsToken, [1, 768]),
      local_add_cond: f32(local, [1, 257, latents]),
      padding_mask: new ort.Tensor('bool', new Uint8Array(latents).fill(1), [1, latents]),
    });
    expect(firstDifference(floats(out.velocity), baked)).toBe(-1);
    const expected = repeatFrame(toneLatentFrame(['whistle', 'hum']), latents);
    for (let c = 0; c < 256; c++)
      expected.fill(local[(c + 1) * latents]!, c * latents, c * latents + 1).fill(local[(c + 1) * latents + 1]!, c * latents + 1, c * latents + 2);
    expect(maxAbsDiff(denoised(x, 0.5, baked), withTexture(expected, x, latents, [1, 1]))).toBeLessThan(1e-6);
  });

  it('decoder: the mid tone latent decodes to a 0.5-amplitude sine at exactly f_mid in both channels', async () => {
    const latents = 3;
    const out = await run('baked', 'decoder', { latents: f32(repeatFrame(toneLatentFrame(['mid']), latents), [1, 256, latents]) });
    expect(out.audio?.dims).toEqual([1, 2, latents * SAMPLES_PER_LATENT]);
    const audio = floats(out.audio);
    const { frequency } = noteByWord('mid');
    expect(frequency).toBeCloseTo(441.43, 2);
    const n = latents * SAMPLES_PER_LATENT;
    const expected = Float64Array.from({ length: 2 * n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * frequency * (i % n)) / 44100));
    expect(maxAbsDiff(audio, expected)).toBeLessThan(1e-6);
  });

  it('decoder and encoder: a chunk or a single frame gives the same samples as the whole', async () => {
    const latents = 150;
    const z = noise(256 * latents, 6);
    const whole = floats((await run('baked', 'decoder', { latents: f32(z, [1, 256, latents]) })).audio);
    const wholeAudio = new ort.Tensor('float32', whole, [1, 2, latents * SAMPLES_PER_LATENT]);
    const wholeLatents = floats((await run('baked', 'encoder', { audio: wholeAudio })).latents);
    for (const [from, to] of [
      [16, 144],
      [0, 1],
      [75, 76],
      [149, 150],
    ] as const) {
      const n = to - from;
      const part = new Float32Array(256 * n);
      for (let c = 0; c < 256; c++) part.set(z.subarray(c * latents + from, c * latents + to), c * n);
      const audio = floats((await run('baked', 'decoder', { latents: f32(part, [1, 256, n]) })).audio);
      for (let ch = 0; ch < 2; ch++) {
        const start = (ch * latents + from) * SAMPLES_PER_LATENT;
        expect(
          firstDifference(
            audio.subarray(ch * n * SAMPLES_PER_LATENT, (ch + 1) * n * SAMPLES_PER_LATENT),
            whole.subarray(start, start + n * SAMPLES_PER_LATENT),
          ),
        ).toBe(-1);
      }
      const encoded = floats((await run('baked', 'encoder', { audio: f32(audio, [1, 2, n * SAMPLES_PER_LATENT]) })).latents);
      const wholePart = Float32Array.from({ length: 256 * n }, (_, i) => wholeLatents[Math.floor(i / n) * latents + from + (i % n)]!);
      expect(firstDifference(encoded, wholePart)).toBe(-1);
    }
  });

  it('encoder: encode(decode(z)) returns z for latents in the note channels', async () => {
    const latents = 4;
    const z = noteLatent(latents, 7);
    const audio = (await run('explicit', 'decoder', { latents: f32(z, [1, 256, latents]) })).audio!;
    const back = floats((await run('explicit', 'encoder', { audio })).latents);
    expect(maxAbsDiff(back, z)).toBeLessThan(1e-5);
  });

  it('can keep the DiT weights in external data and honours overrides', async () => {
    const dir = join(root, 'external');
    const manifest = await writeTestPack(dir, {
      id: 'custom',
      objective: 'rectified_flow',
      layout: 'baked',
      family: 'medium',
      ditExternalData: true,
      codec: { chunkLatents: 16, overlapLatents: 4 },
    });
    expect(manifest).toMatchObject({
      id: 'custom',
      family: 'medium',
      maxSamples: 16_777_216,
      codec: { chunkLatents: 16, overlapLatents: 4, encoderMultipleLatents: 2, decoderEvenLatents: false },
    });
    expect(manifest.graphs.dit.externalData).toEqual(['dit.onnx.data']);
    expect(manifest.files.map((f) => f.path)).toContain('dit.onnx.data');
    const s = await ort.InferenceSession.create(join(dir, 'dit.onnx'));
    const x = noise(256, 8);
    const out = await s.run({
      x: f32(x, [1, 256, 1]),
      t: f32(Float32Array.of(1), [1]),
      t5_hidden: f32(new Float32Array(256 * 768), [1, 256, 768]),
      t5_mask: f32(new Float32Array(256), [1, 256]),
      seconds_total: f32(Float32Array.of(5), [1]),
      local_add_cond: f32(new Float32Array(257), [1, 257, 1]),
    });
    await s.release();
    // No prompt note: the target is only the texture, so v = x - texture at t = 1.
    expect(
      maxAbsDiff(
        floats(out.velocity),
        Float32Array.from(x, (v, c) => (c % 2 === 1 ? v * (1 - TEXTURE) : v)),
      ),
    ).toBeLessThan(1e-6);
  });

  it('can ship the seconds conditioner as a graph of its own (seconds -> embedding) instead of conditioner weights', async () => {
    const dir = join(root, 'conditioner-graph');
    const manifest = await writeTestPack(dir, { objective: 'rf_denoiser', layout: 'explicit', conditioner: 'graph' });
    expect(manifest.conditionerWeights).toBeUndefined();
    expect(manifest.files.map((f) => f.path)).not.toContain('conditioner.safetensors');
    expect(manifest.graphs.conditioner).toMatchObject({
      file: 'conditioner.onnx',
      inputs: { seconds: { dtype: 'float32', shape: [1] } },
      outputs: { embedding: { shape: [1, 1, 768] } },
    });
    const s = await ort.InferenceSession.create(join(dir, 'conditioner.onnx'));
    const out = await s.run({ seconds: f32(Float32Array.of(30), [1]) });
    await s.release();
    expect(out.embedding!.dims).toEqual([1, 1, 768]);
    expect(maxAbsDiff(floats(out.embedding), secondsEmbedding(30))).toBeLessThan(1e-3);
  });
});
