import { mkdtemp, readdir, rm, stat, truncate, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AudioClip, OutputSpecs } from '@sa3/nodes';
import { DiskResultStore } from '../../src/executor/disk-result-store.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function store(maxBytes?: number): Promise<DiskResultStore> {
  const dir = await mkdtemp(join(tmpdir(), 'sa3-results-'));
  dirs.push(dir);
  return new DiskResultStore(dir, maxBytes);
}

const audioOut: OutputSpecs = { audio: { type: 'audio', label: 'Audio' } };

function clip(frames: number, seed: number): AudioClip {
  const channels = [new Float32Array(frames), new Float32Array(frames)];
  channels.forEach((c, ch) => c.forEach((_, i) => (c[i] = Math.sin((i + 1) * (seed + ch) * 0.001) * 0.5)));
  return { sampleRate: 44_100, channels, latents: { opaque: true } };
}

describe('DiskResultStore', () => {
  it('gives back every sample bit for bit, with the output names and sample rate, but not the latents', async () => {
    const results = await store();
    const audio = clip(44_100, 3);
    await results.write('k1', { audio }, audioOut);
    const read = (await results.read('k1')) as { audio: AudioClip };
    expect(Object.keys(read)).toEqual(['audio']);
    expect(read.audio.sampleRate).toBe(44_100);
    expect(read.audio.latents).toBeUndefined();
    for (let c = 0; c < 2; c++) expect(Buffer.from(read.audio.channels[c]!.buffer).equals(Buffer.from(audio.channels[c]!.buffer))).toBe(true);
    expect(await results.read('missing')).toBeUndefined();
  });

  it('stores nothing for outputs that are not all audio', async () => {
    const results = await store();
    await results.write('k', { conditioning: { text: 'x', model: 'auto' } }, { conditioning: { type: 'conditioning', label: 'Conditioning' } });
    await results.write(
      'k2',
      { audio: clip(10, 1), file: { bytes: new Uint8Array(3), mime: 'audio/wav', extension: 'wav' } },
      { ...audioOut, file: { type: 'file', label: 'File' } },
    );
    expect(await readdir(await results.folder())).toEqual([]);
  });

  it('a truncated or foreign file is a miss and is deleted', async () => {
    const results = await store();
    await results.write('cut', { audio: clip(1000, 2) }, audioOut);
    const path = join(await results.folder(), 'cut.sa3r');
    await truncate(path, (await stat(path)).size - 4);
    expect(await results.read('cut')).toBeUndefined();
    expect(await readdir(await results.folder())).toEqual([]);
  });

  it('over its budget it deletes the least recently used files first; a read counts as a use', async () => {
    const oneClip = 2 * 1000 * 4 + 200; // samples plus prefix and header, roughly
    const results = await store(3 * oneClip);
    for (const key of ['a', 'b', 'c']) {
      await results.write(key, { audio: clip(1000, 1) }, audioOut);
      const old = new Date(Date.now() - 60_000 * (4 - key.charCodeAt(0) + 96));
      await utimes(join(await results.folder(), `${key}.sa3r`), old, old); // a oldest, then b, then c
    }
    expect(await results.read('a')).toBeDefined(); // a is now the most recent
    await results.write('d', { audio: clip(1000, 1) }, audioOut);
    expect((await readdir(await results.folder())).sort()).toEqual(['a.sa3r', 'c.sa3r', 'd.sa3r']);
    // A result bigger than the whole budget is not kept at all.
    await results.write('huge', { audio: clip(10_000, 1) }, audioOut);
    expect((await readdir(await results.folder())).sort()).toEqual(['a.sa3r', 'c.sa3r', 'd.sa3r']);
  });
});
