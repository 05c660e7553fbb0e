import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { convertCheckpoint, ConvertError, type CheckpointPart } from '../../src/compiler/index.js';
import { haveReference, referenceDir } from '../engine/fixtures.js';
import { tempDir } from './compare.js';

describe.runIf(haveReference())('whole checkpoint folder', () => {
  it('medium-tiny: every part converts, reports progress and loads in onnxruntime-node', async () => {
    const { dir, remove } = await tempDir();
    try {
      const events: string[] = [];
      const converted = await convertCheckpoint(join(referenceDir, 'medium-tiny'), dir, {
        onProgress: (part: CheckpointPart, done, total) => events.push(`${part} ${done}/${total}`),
      });
      expect(events).toEqual(['dit 1/2', 'dit 2/2', 'conditioner 0/1', 'conditioner 1/1', 'encoder 0/1', 'encoder 1/1', 'decoder 0/1', 'decoder 1/1']);
      expect((await readdir(dir)).sort()).toEqual([
        'conditioner.safetensors',
        'decoder.onnx',
        'decoder.onnx.data',
        'dit.onnx',
        'dit.onnx.data',
        'encoder.onnx',
        'encoder.onnx.data',
      ]);
      expect(converted.encoder.config.slidingWindow).toEqual([1, 1]);
      for (const graph of [converted.dit, converted.encoder, converted.decoder]) {
        const session = await ort.InferenceSession.create(join(dir, graph.saved.modelFile));
        expect(session.inputNames).toEqual(graph.inputs.map((i) => i.name));
        await session.release();
      }
    } finally {
      await remove();
    }
  });

  it('a folder without model_config.json', async () => {
    const { dir, remove } = await tempDir();
    try {
      await expect(convertCheckpoint(dir, dir)).rejects.toThrow(
        new ConvertError('config_invalid', `the checkpoint folder ${dir} has no readable model_config.json`),
      );
    } finally {
      await remove();
    }
  });
});
