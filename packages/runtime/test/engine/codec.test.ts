import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeLatents, encodeAudio } from '../../src/engine/codec.js';
import { GraphSession } from '../../src/engine/graph-session.js';
import { NoiseStream } from '../../src/engine/prng.js';
import { writeTestPack } from '../../src/testpack/index.js';
import type { PackManifest } from '../../src/pack-format/manifest.js';

async function packWith(codec: Partial<PackManifest['codec']>) {
  const dir = await mkdtemp(join(tmpdir(), 'sa3-codec-'));
  const manifest = await writeTestPack(dir, { objective: 'rf_denoiser', layout: 'baked', codec });
  const open = (role: 'encoder' | 'decoder') => GraphSession.open(dir, manifest.graphs[role], ['cpu'], () => undefined);
  return { manifest, decoder: await open('decoder'), encoder: await open('encoder') };
}

const signal = new AbortController().signal;

describe('chunked SAME encode/decode', () => {
  it('chunked decode of a long clip equals unchunked decode of the same latents, sample for sample', async () => {
    const length = 300;
    const latents = { channels: 256, length, data: new NoiseStream(5).fill(new Float32Array(256 * length)) };
    const chunked = await packWith({ chunkLatents: 32, overlapLatents: 8 });
    const whole = await packWith({ chunkLatents: 1024, overlapLatents: 32 });
    const calls: number[] = [];
    const a = await decodeLatents(chunked.decoder, chunked.manifest, latents, { signal, onChunk: (i) => calls.push(i) });
    const b = await decodeLatents(whole.decoder, whole.manifest, latents, { signal });
    expect(calls.length).toBe(13); // starts 0, 24, ..., 264 (12) and the right-anchored 268
    expect(chunked.decoder.runs).toBe(13);
    expect(whole.decoder.runs).toBe(1);
    expect(a[0].length).toBe(length * 4096);
    expect(Buffer.from(a[0].buffer).equals(Buffer.from(b[0].buffer))).toBe(true);
    expect(Buffer.from(a[1].buffer).equals(Buffer.from(b[1].buffer))).toBe(true);
  });

  it('chunked encode equals unchunked encode', async () => {
    const frames = 70 * 4096;
    const noise = new NoiseStream(9);
    const audio: [Float32Array, Float32Array] = [noise.fill(new Float32Array(frames)), noise.fill(new Float32Array(frames))];
    const chunked = await packWith({ chunkLatents: 16, overlapLatents: 4 });
    const whole = await packWith({ chunkLatents: 128, overlapLatents: 32 });
    const a = await encodeAudio(chunked.encoder, chunked.manifest, audio, { signal });
    const b = await encodeAudio(whole.encoder, whole.manifest, audio, { signal });
    expect(a.length).toBe(70);
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
  });

  it('feeds SAME-S style decoders an even latent count and crops the extra latent', async () => {
    const odd = await packWith({ chunkLatents: 128, overlapLatents: 32, decoderEvenLatents: true });
    const latents = { channels: 256, length: 5, data: new NoiseStream(1).fill(new Float32Array(256 * 5)) };
    const [left] = await decodeLatents(odd.decoder, odd.manifest, latents, { signal });
    expect(left.length).toBe(5 * 4096);
  });

  it('stops between chunks when cancelled', async () => {
    const { manifest, decoder } = await packWith({ chunkLatents: 8, overlapLatents: 2 });
    const controller = new AbortController();
    const latents = { channels: 256, length: 64, data: new Float32Array(256 * 64) };
    await expect(decodeLatents(decoder, manifest, latents, { signal: controller.signal, onChunk: (i) => i === 2 && controller.abort() })).rejects.toMatchObject(
      { name: 'AbortError' },
    );
    expect(decoder.runs).toBe(2);
  });
});
