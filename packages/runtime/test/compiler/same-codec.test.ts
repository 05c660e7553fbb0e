import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { convertSameCodec } from '../../src/compiler/same-graphs.js';
import { haveReference, openReference } from '../engine/fixtures.js';
import { agreement, checkpointPath, fixtureTensor, modelConfig, tempDir } from './compare.js';

const cases = [
  ['small-tiny', 'encoder', 'ae_encode_N24576_L6', 'in_audio', 'out_latents'],
  ['small-tiny', 'encoder', 'ae_encode_N20480_pad_L6', 'in_audio', 'out_latents'],
  ['small-tiny', 'decoder', 'ae_decode_L6', 'in_latents', 'out_audio'],
  ['small-tiny', 'decoder', 'ae_decode_L5_odd', 'in_latents', 'out_audio'],
  ['medium-tiny', 'encoder', 'ae_encode_N24576_L6', 'in_audio', 'out_latents'],
  ['medium-tiny', 'encoder', 'ae_encode_N17480_pad_L5', 'in_audio', 'out_latents'],
  ['medium-tiny', 'decoder', 'ae_decode_L6', 'in_latents', 'out_audio'],
  ['medium-tiny', 'decoder', 'ae_decode_L5', 'in_latents', 'out_audio'],
] as const;

// small-tiny is SAME-S style (chunks with the midpoint shift), medium-tiny SAME-L style (±1-latent band).
describe.runIf(haveReference())('SAME codec converted to ONNX against the official outputs', () => {
  for (const [model, side, name, input, output] of cases) {
    it(`${model} ${name}`, async () => {
      const { dir, remove } = await tempDir();
      const file = await openReference(`${model}/${name}.safetensors`);
      let session: ort.InferenceSession | undefined;
      try {
        const converted = await convertSameCodec(side, checkpointPath(model), await modelConfig(model), dir);
        session = await ort.InferenceSession.create(join(dir, converted.saved.modelFile));
        const feeds = { [side === 'encoder' ? 'audio' : 'latents']: await fixtureTensor(file, input) };
        const out = await session.run(feeds);
        const result = out[side === 'encoder' ? 'latents' : 'audio']!;
        expect(result.dims).toEqual([...file.info(output).shape]);
        const a = agreement(result.data as Float32Array, await file.readFloat32(output));
        expect(a.cosine).toBeGreaterThanOrEqual(0.99999);
        expect(a.maxAbs).toBeLessThan(1e-4);
      } finally {
        await session?.release();
        await file.close();
        await remove();
      }
    });
  }
});
