import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { convertT5GemmaEncoder, ConvertError, readT5GemmaConfig } from '../../src/compiler/index.js';
import { haveReference, openReference, referenceDir } from '../engine/fixtures.js';
import { agreement, tempDir } from './compare.js';

const T5_DIR = join(referenceDir, 't5gemma-tiny');

/** Values of rows [from, to) of sequence `b` in a [B,T,H] tensor. */
function rows(data: Float32Array, b: number, from: number, to: number, tokens: number, hidden: number): Float32Array {
  return data.subarray((b * tokens + from) * hidden, (b * tokens + to) * hidden);
}

/** Agreement wanted per precision: fp32 the bar, fp16 what float16 weights and matmuls allow. */
const BARS = { fp32: { cosine: 0.99999, maxAbs: 1e-4 }, fp16: { cosine: 0.99999, maxAbs: 5e-3 } } as const;

describe.runIf(haveReference())('T5Gemma encoder', () => {
  for (const precision of ['fp32', 'fp16'] as const)
    it(`${precision}: reproduces last_hidden_state of the tiny T5Gemma (valid rows), with no NaN for an empty prompt`, async () => {
      const { dir, remove } = await tempDir();
      const fixture = await openReference('t5gemma-tiny/case_encoder.safetensors');
      try {
        const progress: string[] = [];
        const converted = await convertT5GemmaEncoder(T5_DIR, dir, { precision, onProgress: (done, total) => progress.push(`${done}/${total}`) });
        expect(progress).toEqual(['1/2', '2/2']);
        expect(converted.hiddenSize).toBe(128);
        expect(converted.config).toMatchObject({
          layers: 2,
          heads: 2,
          kvHeads: 2,
          headDim: 64,
          attnSoftcap: 50,
          queryPreAttnScalar: 64,
          gelu: 'tanh',
          layerWindows: [4096, null],
        });

        const ids = new BigInt64Array((await fixture.readBytes('in_input_ids')).slice().buffer);
        const mask = BigInt64Array.from(await fixture.readBytes('in_attention_mask'), (v) => BigInt(v));
        const [batch, tokens] = fixture.info('in_input_ids').shape as [number, number];
        const expected = await fixture.readFloat32('out_last_hidden_state_fp32');
        const session = await ort.InferenceSession.create(join(dir, converted.saved.modelFile));
        const { hidden_states: out } = await session.run({
          input_ids: new ort.Tensor('int64', ids, [batch, tokens]),
          attention_mask: new ort.Tensor('int64', mask, [batch, tokens]),
        });
        await session.release();
        expect(out!.dims).toEqual([batch, tokens, 128]);
        const actual = out!.data as Float32Array;

        const lengths = JSON.parse(fixture.metadata.prompt_lengths!) as number[];
        for (const [b, length] of lengths.entries()) {
          if (length === 0) continue; // the empty prompt's rows are implementation-defined (README 7)
          const valid = agreement(rows(actual, b, 0, length, tokens, 128), rows(expected, b, 0, length, tokens, 128));
          const padded = agreement(rows(actual, b, length, tokens, tokens, 128), rows(expected, b, length, tokens, tokens, 128));
          console.log(
            `T5Gemma ${precision} row ${b} (${length} tokens): valid cosine ${valid.cosine.toFixed(9)} max abs ${valid.maxAbs.toExponential(2)}; padded rows cosine ${padded.cosine.toFixed(9)} max abs ${padded.maxAbs.toExponential(2)}`,
          );
          expect(valid.cosine).toBeGreaterThanOrEqual(BARS[precision].cosine);
          expect(valid.maxAbs).toBeLessThan(BARS[precision].maxAbs);
        }
        const empty = lengths.indexOf(0);
        expect(rows(actual, empty, 0, tokens, tokens, 128).every(Number.isFinite)).toBe(true);
      } finally {
        await fixture.close();
        await remove();
      }
    });

  it('an all-zero attention mask gives finite hidden states', async () => {
    const { dir, remove } = await tempDir();
    try {
      const converted = await convertT5GemmaEncoder(T5_DIR, dir);
      const session = await ort.InferenceSession.create(join(dir, converted.saved.modelFile));
      const { hidden_states: out } = await session.run({
        input_ids: new ort.Tensor('int64', new BigInt64Array(8), [1, 8]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(8), [1, 8]),
      });
      await session.release();
      expect((out!.data as Float32Array).every(Number.isFinite)).toBe(true);
    } finally {
      await remove();
    }
  });

  it('config errors name the key', () => {
    expect(() => readT5GemmaConfig({ model_type: 't5gemma' })).toThrow(
      new ConvertError('config_invalid', 'config.json has no "encoder" object, so it is not a T5Gemma config'),
    );
    expect(() => readT5GemmaConfig({ encoder: { hidden_size: 8 } })).toThrow(
      new ConvertError('config_invalid', 'config.json encoder has no positive whole number at num_hidden_layers'),
    );
  });
});
