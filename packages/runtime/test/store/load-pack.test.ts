import { mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/pack-format/load-manifest.js';
import { verifyPackFiles } from '../../src/store/verify-files.js';
import { PackLocator } from '../../src/store/pack-locator.js';
import { PACK_MANIFEST, type PackManifest } from '../../src/pack-format/manifest.js';
import { writeTestPack } from '../../src/testpack/index.js';
import { Sa3Engine } from '../../src/engine/sa3-engine.js';
import { callContext, conditioning } from '../engine/test-packs.js';

let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sa3-pack-'));
  dir = join(root, 'small-music');
  await writeTestPack(dir, { id: 'small-music', objective: 'rf_denoiser', layout: 'baked' });
});

/** A manifest whose fields, at every depth, a test may overwrite. */
type Editable<T> = { -readonly [K in keyof T]: Editable<T[K]> };

async function editManifest(change: (m: Editable<PackManifest>) => void): Promise<void> {
  const manifest = JSON.parse(await readFile(join(dir, PACK_MANIFEST), 'utf8')) as Editable<PackManifest>;
  change(manifest);
  await writeFile(join(dir, PACK_MANIFEST), JSON.stringify(manifest));
}

function engine(): Sa3Engine {
  return new Sa3Engine({ packs: new PackLocator([root]), log: () => undefined });
}

const generate = (e: Sa3Engine) =>
  e.generate({ model: 'small-music', prompt: conditioning('mid', 'small-music'), steps: 4, cfgScale: 1, seed: 1, durationSeconds: 1 }, callContext());

describe('pack loading refuses broken packs with one sentence naming the file', () => {
  it('a pack missing a graph', async () => {
    await rm(join(dir, 'decoder.onnx'));
    await expect(loadManifest(dir)).rejects.toMatchObject({
      code: 'graph_missing',
      file: 'decoder.onnx',
      // vitest types its asymmetric matchers as any.
      message: expect.stringMatching(/missing decoder\.onnx \(its decoder graph\)/) as unknown,
    });
  });

  it('a graph whose inputs do not match the manifest', async () => {
    await editManifest((m) => (m.graphs.dit.inputs.x!.name = 'latent_in'));
    await expect(generate(engine())).rejects.toMatchObject({
      code: 'graph_mismatch',
      file: 'dit.onnx',
      message: expect.stringMatching(/dit\.onnx has no input "latent_in"/) as unknown,
    });
  });

  it('a graph input of another type than declared', async () => {
    await editManifest((m) => (m.graphs.textEncoder.inputs.input_ids!.dtype = 'int32'));
    await expect(generate(engine())).rejects.toMatchObject({
      code: 'graph_mismatch',
      message: expect.stringMatching(/"input_ids" is int64, but the pack declares int32/) as unknown,
    });
  });

  it('a corrupted file (same size, other bytes) fails its sha256', async () => {
    const path = join(dir, 'encoder.onnx');
    const bytes = await readFile(path);
    bytes[bytes.length - 10]! ^= 0xff;
    await writeFile(path, bytes);
    await expect(generate(engine())).rejects.toMatchObject({
      code: 'file_corrupt',
      file: 'encoder.onnx',
      message: expect.stringMatching(/encoder\.onnx is corrupted/) as unknown,
    });
  });

  it('a file of the wrong size', async () => {
    await writeFile(join(dir, 'tokenizer.json'), '{}');
    await expect(loadManifest(dir)).rejects.toMatchObject({ code: 'file_size_mismatch', file: 'tokenizer.json' });
  });

  it('a decoder declared with int32 "pcm" but no pcmFullScale', async () => {
    await editManifest((m) => (m.graphs.decoder.outputs = { pcm: { name: 'pcm', dtype: 'int32', shape: [1, 'N', 2] } }));
    await expect(loadManifest(dir)).rejects.toMatchObject({
      code: 'manifest_invalid',
      message: `${join(dir, PACK_MANIFEST)} "codec": "pcmFullScale" must be a positive number (the decoder outputs int32 "pcm"), got undefined`,
    });
  });

  it('a manifest that is not JSON, or of another format', async () => {
    await writeFile(join(dir, PACK_MANIFEST), '{ nope');
    await expect(loadManifest(dir)).rejects.toMatchObject({ code: 'manifest_invalid', message: expect.stringMatching(/not valid JSON/) as unknown });
    await writeFile(join(dir, PACK_MANIFEST), JSON.stringify({ format: 'other' }));
    await expect(loadManifest(dir)).rejects.toMatchObject({ code: 'manifest_invalid' });
  });

  it('an unknown model id lists what is installed', async () => {
    await expect(new PackLocator([root]).resolve('medium')).rejects.toMatchObject({
      code: 'model_not_installed',
      message: 'the model "medium" is not installed; installed: small-music',
    });
  });

  it('verification is remembered until a file changes', async () => {
    const manifest = await loadManifest(dir);
    await verifyPackFiles(dir, manifest);
    const stamp = JSON.parse(await readFile(join(dir, '.sa3-verified.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(stamp).sort()).toEqual(manifest.files.map((f) => f.path).sort());
    // A file swapped for another of the same size is hashed again and caught.
    await copyFile(join(dir, 'encoder.onnx'), join(dir, 'decoder.onnx'));
    await expect(verifyPackFiles(dir, manifest)).rejects.toMatchObject({ code: 'file_corrupt', file: 'decoder.onnx' });
  });
});
