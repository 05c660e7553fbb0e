import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sa3Engine } from '../../src/engine/sa3-engine.js';
import { catalogueEntry } from '../../src/catalogue/index.js';
import { PACK_MANIFEST, type PackManifest } from '../../src/pack-format/manifest.js';
import { importPack } from '../../src/store/import-pack.js';
import { locatePublishedFile } from '../../src/store/locate-published-files.js';
import { PackLocator } from '../../src/store/pack-locator.js';
import { removePack } from '../../src/store/remove-pack.js';
import { GraphBuilder } from '../../src/compiler/graph/index.js';
import { buildDecoder, TESTPACK_PCM_FULL_SCALE } from '../../src/testpack/codec-graphs.js';
import { noteByWord, writeTestPack } from '../../src/testpack/index.js';
import { callContext, conditioning } from '../engine/test-packs.js';
import { dominantFrequency } from '../helpers/spectrum.js';
import { emptyHome, filesUnder, installedDirs, OPTIMIZED, publishedRepos, removeAll, SMALL_MUSIC_REPO } from '../hub/hub-fixtures.js';

async function readManifest(packDir: string): Promise<PackManifest> {
  return JSON.parse(await readFile(join(packDir, PACK_MANIFEST), 'utf8')) as PackManifest;
}

let repos: string;
const cleanup: string[] = [];

beforeAll(async () => {
  repos = await publishedRepos();
});

afterAll(async () => {
  await removeAll(repos, ...cleanup);
});

async function temp(): Promise<string> {
  const dir = await emptyHome();
  cleanup.push(dir);
  return dir;
}

/** The small-music files as `huggingface-cli download --local-dir` leaves them: both repos merged into one folder. */
async function handDownloaded(): Promise<string> {
  const dir = await temp();
  await cp(join(repos, OPTIMIZED, 'onnx'), join(dir, 'onnx'), { recursive: true, filter: (src) => !src.includes('sa3-sm-sfx') });
  await cp(join(repos, SMALL_MUSIC_REPO, 't5gemma-b-b-ul2'), join(dir, 't5gemma-b-b-ul2'), { recursive: true });
  return dir;
}

/** The left channel of one second generated from `word` with seed 1. */
async function take(home: string, model: string, word = 'hum'): Promise<Float32Array> {
  const engine = new Sa3Engine({ packs: new PackLocator([join(home, 'packs')]), log: () => undefined });
  try {
    const clip = await engine.generate({ model, prompt: conditioning(word, model), steps: 4, cfgScale: 1, seed: 1, durationSeconds: 1 }, callContext());
    return clip.channels[0]!;
  } finally {
    await engine.close();
  }
}

async function tone(home: string, model: string, word: string): Promise<number> {
  return dominantFrequency(await take(home, model, word), 44_100);
}

describe('sa3 models import', () => {
  it('imports an sa3 pack folder, copying it and leaving the source as it was', async () => {
    const source = await temp();
    await writeTestPack(source, { id: 'my-pack', objective: 'rf_denoiser', layout: 'explicit', conditioner: 'graph' });
    const home = await temp();
    const result = await importPack(source, { home });
    expect(result).toMatchObject({ id: 'my-pack', kind: 'pack', dir: join(home, 'packs', 'my-pack') });
    expect(existsSync(join(source, 'sa3-pack.json'))).toBe(true);
    expect(await tone(home, 'my-pack', 'chirp')).toBeCloseTo(noteByWord('chirp').frequency, 0);
    await expect(importPack(source, { home })).rejects.toMatchObject({
      code: 'pack_exists',
      // vitest types its asymmetric matchers as any.
      message: expect.stringMatching(/already installed .*sa3 models remove my-pack/) as unknown,
    });
  });

  it('--move moves the files', async () => {
    const source = await temp();
    await writeTestPack(source, { id: 'moved', objective: 'rf_denoiser', layout: 'baked' });
    const home = await temp();
    await importPack(source, { home, move: true });
    expect(filesUnder(source).filter((f) => f.endsWith('.onnx'))).toEqual([]);
    expect(installedDirs(home)).toEqual(['moved']);
  });

  it('refuses a corrupted sa3 pack, naming the file, and installs nothing', async () => {
    const source = await temp();
    await writeTestPack(source, { id: 'bad', objective: 'rf_denoiser', layout: 'baked' });
    const bytes = await readFile(join(source, 'decoder.onnx'));
    bytes[bytes.length >> 1]! ^= 0xff;
    await writeFile(join(source, 'decoder.onnx'), bytes);
    const home = await temp();
    await expect(importPack(source, { home })).rejects.toMatchObject({
      code: 'file_corrupt',
      file: 'decoder.onnx',
      message: expect.stringMatching(/decoder\.onnx is corrupted/) as unknown,
    });
    expect(installedDirs(home)).toEqual([]);
    expect(filesUnder(join(home, 'staging'))).toEqual([]);
  });

  it('imports the published layout downloaded by hand, matched to its catalogue entry', async () => {
    const source = await handDownloaded();
    const home = await temp();
    const result = await importPack(source, { home });
    expect(result).toMatchObject({ id: 'small-music', kind: 'published' });
    const manifest = await readManifest(result.dir);
    expect(manifest.graphs.dit.externalData).toEqual(['sa3-sm-music/dit.onnx.data']);
    expect(await tone(home, 'small-music', 'hum')).toBeCloseTo(noteByWord('hum').frequency, 0);
  });

  it('imports the hub repos folder as is (<owner>/<name>/<path>)', async () => {
    const home = await temp();
    await expect(importPack(repos, { home })).rejects.toMatchObject({
      code: 'import_unmatched',
      message: expect.stringMatching(/holds the published files of small-music and small-music-int4; say which with --id/) as unknown,
    });
    expect((await importPack(repos, { home, id: 'small-music-int4' })).id).toBe('small-music-int4');
  });

  it('a flat folder from a browser download matches both small packs until --id picks one', async () => {
    const source = await temp();
    const from = join(repos, OPTIMIZED, 'onnx');
    for (const [path, name] of [
      ['t5gemma/encoder.onnx', 'encoder.onnx'],
      ['sa3-sm-music/dit.onnx', 'dit.onnx'],
      ['sa3-sm-music/dit.onnx.data', 'dit.onnx.data'],
      ['same-s/enc_dynamic_bf16.onnx', 'enc_dynamic_bf16.onnx'],
      ['same-s/dec_dynamic_bf16.onnx', 'dec_dynamic_bf16.onnx'],
    ] as const) {
      await cp(join(from, path), join(source, name));
    }
    await cp(join(repos, SMALL_MUSIC_REPO, 't5gemma-b-b-ul2/tokenizer.json'), join(source, 'tokenizer.json'));
    await cp(join(repos, SMALL_MUSIC_REPO, 't5gemma-b-b-ul2/tokenizer_config.json'), join(source, 'tokenizer_config.json'));
    const home = await temp();
    await expect(importPack(source, { home })).rejects.toMatchObject({
      code: 'import_unmatched',
      message: expect.stringMatching(/small-music and small-sfx; say which with --id/) as unknown,
    });
    const result = await importPack(source, { home, id: 'small-sfx' });
    expect(result.id).toBe('small-sfx');
    expect(await tone(home, 'small-sfx', 'low')).toBeCloseTo(noteByWord('low').frequency, 0);
  });

  it('reads the PCM-baked decoder\'s full scale from its graph; a float "audio" decoder in its place is taken too', async () => {
    const home = await temp();
    const pcm = await importPack(await handDownloaded(), { home });
    const manifest = await readManifest(pcm.dir);
    expect(manifest.graphs.decoder.outputs).toEqual({ pcm: { name: 'pcm', dtype: 'int32', shape: [1, 'N', 2] } });
    expect(manifest.codec.pcmFullScale).toBe(TESTPACK_PCM_FULL_SCALE);
    // The published decoder's noise is dropped: the installed graph is rewritten, recorded with its own sha256, and decodes the same twice.
    const source = await readFile(join(await handDownloaded(), 'onnx/same-s/dec_dynamic_bf16.onnx'));
    const installed = await readFile(join(pcm.dir, 'same-s/dec_dynamic_bf16.onnx'));
    expect(installed.equals(source)).toBe(false);
    expect(manifest.files.find((f) => f.path === 'same-s/dec_dynamic_bf16.onnx')).toEqual({
      path: 'same-s/dec_dynamic_bf16.onnx',
      bytes: installed.length,
      sha256: createHash('sha256').update(installed).digest('hex'),
    });
    const twice = [await take(home, 'small-music'), await take(home, 'small-music')];
    expect(Buffer.from(twice[0]!.buffer).equals(Buffer.from(twice[1]!.buffer))).toBe(true);

    const floatSource = await handDownloaded();
    await buildDecoder({ latents: 'latent' }).save(join(floatSource, 'onnx/same-s'), 'dec_dynamic_bf16.onnx');
    const floatHome = await temp();
    const float = await importPack(floatSource, { home: floatHome });
    const floatManifest = await readManifest(float.dir);
    expect(Object.keys(floatManifest.graphs.decoder.outputs)).toEqual(['audio']);
    expect(floatManifest.codec.pcmFullScale).toBeUndefined();
    expect(await tone(floatHome, 'small-music', 'hum')).toBeCloseTo(await tone(home, 'small-music', 'hum'), 3);
  });

  it('an int32 pcm decoder without a constant multiply before its cast is refused, naming the file', async () => {
    const source = await handDownloaded();
    const g = new GraphBuilder();
    const latents = g.input('latent', 'float32', [1, 256, 'L']);
    g.output(g.transpose(g.cast(g.reshape(latents, [1, 2, -1]), 'int32'), [0, 2, 1]), 'pcm', [1, 'N', 2]);
    await g.save(join(source, 'onnx/same-s'), 'dec_dynamic_bf16.onnx');
    const home = await temp();
    await expect(importPack(source, { home })).rejects.toMatchObject({
      code: 'graph_mismatch',
      message: 'same-s/dec_dynamic_bf16.onnx outputs int32 "pcm", but its graph does not end in the multiply by a constant sa3 reads the PCM full scale from',
    });
    expect(installedDirs(home)).toEqual([]);
  });

  it('a published layout missing a graph names the file', async () => {
    const source = await handDownloaded();
    await rm(join(source, 'onnx/sa3-sm-music/dit.onnx'));
    const home = await temp();
    await expect(importPack(source, { home })).rejects.toMatchObject({
      code: 'import_unmatched',
      message: expect.stringMatching(/for small-music it lacks onnx\/sa3-sm-music\/dit\.onnx \(the DiT graph\)$/) as unknown,
    });
    expect(installedDirs(home)).toEqual([]);
  });

  it('a graph missing its external data names the data file', async () => {
    const source = await handDownloaded();
    await rm(join(source, 'onnx/sa3-sm-music/dit.onnx.data'));
    const home = await temp();
    await expect(importPack(source, { home })).rejects.toMatchObject({
      code: 'file_missing',
      message: 'sa3-sm-music/dit.onnx loads its weights from sa3-sm-music/dit.onnx.data, which the pack does not have',
    });
    expect(installedDirs(home)).toEqual([]);
  });

  it('a folder that is neither says so', async () => {
    const source = await temp();
    await mkdir(join(source, 'stuff'));
    await writeFile(join(source, 'stuff', 'notes.txt'), 'hello');
    await expect(importPack(source, { home: await temp() })).rejects.toMatchObject({
      code: 'import_unmatched',
      message: expect.stringMatching(/is not an sa3 pack \(it has no sa3-pack\.json\) and not a complete published layout/) as unknown,
    });
    await expect(importPack(join(source, 'missing'), { home: await temp() })).rejects.toMatchObject({ code: 'pack_not_found' });
  });
});

describe('locating published files by hand-downloaded paths', () => {
  const dit = catalogueEntry('small-music').files.find((f) => f.role === 'dit')!;
  const int4Dit = catalogueEntry('small-music-int4').files.find((f) => f.role === 'dit')!;
  it('prefers the repo path, then a parent folder, then the last folder and name', () => {
    expect(locatePublishedFile(dit, ['onnx/sa3-sm-music/dit.onnx', 'onnx/sa3-sm-sfx/dit.onnx'])).toBe('onnx/sa3-sm-music/dit.onnx');
    expect(locatePublishedFile(dit, ['downloads/onnx/sa3-sm-music/dit.onnx'])).toBe('downloads/onnx/sa3-sm-music/dit.onnx');
    expect(locatePublishedFile(dit, ['sa3-sm-music/dit.onnx', 'sa3-sm-sfx/dit.onnx'])).toBe('sa3-sm-music/dit.onnx');
    // A verified name in another pack's folder is not taken for this one.
    expect(locatePublishedFile(dit, ['onnx/sa3-sm-sfx/dit.onnx'])).toBeUndefined();
    expect(locatePublishedFile(dit, ['dit.onnx'])).toBe('dit.onnx');
    // An unverified name is found anywhere, but only when it is unique.
    expect(locatePublishedFile(int4Dit, ['onnx/q4/dit_q4.onnx'])).toBe('onnx/q4/dit_q4.onnx');
    expect(locatePublishedFile(int4Dit, ['a/dit_q4.onnx', 'b/dit_q4.onnx'])).toBeUndefined();
  });
});

describe('sa3 models remove', () => {
  it('removes an installed pack and any unfinished pull of it', async () => {
    const home = await temp();
    await writeTestPack(join(home, 'packs', 'small-music'), { id: 'small-music', objective: 'rf_denoiser', layout: 'baked' });
    await mkdir(join(home, 'staging', 'small-music', 'partial'), { recursive: true });
    await writeFile(join(home, 'staging', 'small-music', 'partial', 'x.partial'), 'abc');
    expect(await removePack('small-music', { home })).toEqual({ dir: join(home, 'packs', 'small-music'), partial: true });
    expect(installedDirs(home)).toEqual([]);
    expect(filesUnder(join(home, 'staging'))).toEqual([]);
    // The packs of this machine's own SA3_HOME are no part of it.
    const before = process.env.SA3_HOME;
    process.env.SA3_HOME = home;
    try {
      await expect(removePack('small-music', { home })).rejects.toMatchObject({
        code: 'model_not_installed',
        message: `the pack "small-music" is not installed in ${join(home, 'packs')}`,
      });
    } finally {
      if (before === undefined) delete process.env.SA3_HOME;
      else process.env.SA3_HOME = before;
    }
  });

  it('refuses while a pull of the pack holds its lock', async () => {
    const home = await temp();
    await writeTestPack(join(home, 'packs', 'small-music'), { id: 'small-music', objective: 'rf_denoiser', layout: 'baked' });
    await mkdir(join(home, 'staging'), { recursive: true });
    await writeFile(join(home, 'staging', 'small-music.lock'), JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() }));
    await expect(removePack('small-music', { home })).rejects.toMatchObject({
      code: 'not_removable',
      message: expect.stringMatching(/a pull or import of small-music is running \(pid \d+\)/) as unknown,
    });
    expect(installedDirs(home)).toEqual(['small-music']);
  });
});
