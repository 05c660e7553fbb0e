import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../src/compiler/graph/index.js';
import { GraphSession } from '../../src/engine/graph-session.js';
import { floatToHalf } from '../../src/model-files/half.js';
import { halfToFloat } from '../../src/model-files/safetensors.js';
import { requestedProviders } from '../../src/engine/execution-providers.js';

describe('GraphSession', () => {
  it('runs a float16 graph from float32 inputs and returns float32', async () => {
    const dir = await mkdtemp(`${tmpdir()}/sa3-fp16-`);
    const g = new GraphBuilder({ graphName: 'double' });
    const x = g.input('latents_in', 'float16', [1, 'L']);
    g.output(g.cast(g.mul(g.cast(x, 'float32'), 2), 'float16'), 'audio_out', [1, 'L']);
    await g.save(dir, 'double.onnx');
    const spec = {
      file: 'double.onnx',
      inputs: { latents: { name: 'latents_in', dtype: 'float16' as const, shape: [1, 'L'] } },
      outputs: { audio: { name: 'audio_out', dtype: 'float16' as const, shape: [1, 'L'] } },
    };
    const session = await GraphSession.open(dir, spec, ['cpu'], () => undefined);
    const { audio } = await session.run({ latents: new ort.Tensor('float32', Float32Array.of(0.5, -1.25, 3), [1, 3]) });
    expect(audio!.type).toBe('float32');
    expect([...(audio!.data as Float32Array)]).toEqual([1, -2.5, 6]);
  });

  it('falls back to cpu with one line naming what was asked and what runs', async () => {
    const dir = await mkdtemp(`${tmpdir()}/sa3-ep-`);
    const g = new GraphBuilder({ graphName: 'id' });
    g.output(g.identity(g.input('a', 'float32', [1])), 'b', [1]);
    await g.save(dir, 'id.onnx');
    const lines: string[] = [];
    const spec = {
      file: 'id.onnx',
      inputs: { a: { name: 'a', dtype: 'float32' as const, shape: [1] } },
      outputs: { b: { name: 'b', dtype: 'float32' as const, shape: [1] } },
    };
    const session = await GraphSession.open(dir, spec, requestedProviders('cuda'), (line) => lines.push(line));
    expect(session.provider).toBe('cpu');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^execution provider cuda was asked for but could not load \(cuda: .+\); running id\.onnx on cpu$/);
    const warnings: string[] = [];
    expect(requestedProviders('quantum,cuda', (line) => warnings.push(line))).toEqual(['cuda', 'cpu']);
    expect(warnings).toEqual(['asked for unknown execution provider "quantum" (known: cuda, tensorrt, coreml, dml, webgpu, cpu); using cuda then cpu']);
  });
});

describe('float16 conversion', () => {
  it('round-trips every half value and rounds to nearest even', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = halfToFloat(bits);
      if (Number.isNaN(value)) continue;
      expect(floatToHalf(value)).toBe(bits === 0x8000 ? 0x8000 : bits);
    }
    expect(halfToFloat(floatToHalf(1 + 2 ** -11))).toBe(1); // tie -> even
    expect(halfToFloat(floatToHalf(65520))).toBe(Infinity);
  });
});
