import { describe, expect, it } from 'vitest';
import { findChunk, parseRiff, type AudioClip } from '@sa3/nodes';
import { embedWorkflow } from '../../src/audio/metadata/index.js';
import { decodeWav, encodeWav } from '../../src/audio/wav.js';

const frames = 1001;
const clip = (loop?: AudioClip['loop']): AudioClip => ({
  sampleRate: 44_100,
  channels: [Float32Array.from({ length: frames }, (_, i) => Math.sin(i / 9) * 0.5), new Float32Array(frames)],
  ...(loop ? { loop } : {}),
});

function sampler(bytes: Uint8Array): DataView | undefined {
  const layout = parseRiff(bytes)!;
  const chunk = findChunk(layout, 'smpl');
  return chunk && new DataView(bytes.buffer, bytes.byteOffset + chunk.dataOffset, chunk.size);
}

describe('WAV loop points (smpl chunk)', () => {
  it('a clip with loop points gets one forward, endless loop with them; its samples are unchanged', () => {
    const bytes = encodeWav(clip({ startFrame: 0, endFrame: frames - 1 }), '24');
    const smpl = sampler(bytes)!;
    expect(smpl.byteLength).toBe(60);
    expect(smpl.getUint32(12, true)).toBe(60); // unity note
    expect(smpl.getUint32(28, true)).toBe(1);
    expect([40, 44, 48, 52, 56].map((o) => smpl.getUint32(o, true))).toEqual([0, 0, frames - 1, 0, 0]);
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(bytes.length - 8);
    const plain = encodeWav(clip(), '24');
    expect(decodeWav(bytes).channels).toEqual(decodeWav(plain).channels);
    expect(bytes.length - plain.length).toBe(68);
  });

  it('a clip without loop points, or with points outside it, gets none', () => {
    expect(sampler(encodeWav(clip(), '16'))).toBeUndefined();
    expect(sampler(encodeWav(clip({ startFrame: 0, endFrame: frames }), '16'))).toBeUndefined();
  });

  it('survives the embedded workflow, and follows the pad byte of an odd data size (24-bit mono, 1001 frames)', () => {
    const bytes = embedWorkflow(encodeWav(clip({ startFrame: 10, endFrame: 500 }), '32f'), 'wav', '{"format":"sa3-workflow"}');
    const smpl = sampler(bytes)!;
    expect([smpl.getUint32(44, true), smpl.getUint32(48, true)]).toEqual([10, 500]);
    const mono: AudioClip = { sampleRate: 44_100, channels: [new Float32Array(frames)], loop: { startFrame: 0, endFrame: frames - 1 } };
    const padded = encodeWav(mono, '24');
    expect(sampler(padded)!.getUint32(48, true)).toBe(frames - 1);
  });
});
