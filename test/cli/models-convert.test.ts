import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCheckpointFolder } from '../../packages/runtime/test/compiler/checkpoint-folder.js';
import { decodeWithFfmpeg } from '../helpers/audio-probe.js';
import { eventsOfType, runCli, tempDir } from '../helpers/cli.js';
import { sharedDir } from '../helpers/shared.js';
import { existsSync } from 'node:fs';

const haveShared = existsSync(join(sharedDir, 'fixtures/sa3-reference')) || process.env.SA3_REQUIRE_SHARED === '1';

interface Manifest {
  readonly precision?: string;
  readonly source: { readonly note: string };
  readonly files: readonly { readonly path: string; readonly sha256: string }[];
}

const readManifest = async (packDir: string) => JSON.parse(await readFile(join(packDir, 'sa3-pack.json'), 'utf8')) as Manifest;

/**
 * The pack's verification stamp, which a generate reads before it trusts a file without hashing
 * it: an entry per file whose sha256 is the manifest's and whose size, mtime, ctime, inode and
 * device are the file's as it is now, so the next verification hashes none of them.
 */
async function expectStampCurrent(packDir: string): Promise<Record<string, unknown>> {
  const stamp = JSON.parse(await readFile(join(packDir, '.sa3-verified.json'), 'utf8')) as Record<string, unknown>;
  const { files } = await readManifest(packDir);
  expect(Object.keys(stamp).sort()).toEqual(files.map((f) => f.path).sort());
  for (const file of files) {
    const info = await stat(join(packDir, file.path), { bigint: true });
    expect([file.path, stamp[file.path]]).toEqual([
      file.path,
      {
        bytes: Number(info.size),
        mtimeNs: String(info.mtimeNs),
        ctimeNs: String(info.ctimeNs),
        ino: String(info.ino),
        dev: String(info.dev),
        sha256: file.sha256,
      },
    ]);
  }
  return stamp;
}

describe.runIf(haveShared)('sa3 models convert', () => {
  it('turns a checkpoint folder into an installed pack that sa3 generate runs', async () => {
    const home = await tempDir('sa3-home-');
    const checkpoint = join(await tempDir('sa3-ckpt-'), 'my-finetune');
    await writeCheckpointFolder(checkpoint);
    const env = { SA3_HOME: home };
    const converted = await runCli(['models', 'convert', checkpoint, '--json'], { env });
    expect(converted.code, converted.stderr).toBe(0);
    // `models pull` prints progress lines too, with a `path` instead of a `part`.
    const parts = [...new Set(eventsOfType(converted, 'progress').map((e) => ('part' in e ? e.part : undefined)))];
    expect(parts).toEqual(['textEncoder', 'dit', 'conditioner', 'encoder', 'decoder', 'check']);
    expect(converted.events.at(-1)).toMatchObject({ type: 'converted', id: 'my-finetune' });
    expect(await readdir(join(home, 'packs'))).toEqual(['my-finetune']);
    // Convert stamps the hashes it computed, so the first generate hashes no file of the pack.
    const stamped = await expectStampCurrent(join(home, 'packs', 'my-finetune'));

    const out = join(home, 'take.wav');
    const generated = await runCli(['generate', 'a soft mid tone', '--model', 'my-finetune', '--duration', '2', '--steps', '4', '--seed', '1', '--out', out], {
      env,
    });
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout.trim()).toBe(out);
    expect(await expectStampCurrent(join(home, 'packs', 'my-finetune'))).toEqual(stamped);
  });

  it('--precision int8: installs as <folder>-int8, records int8, generates exact frames, and the same seed gives the same bytes', async () => {
    const home = await tempDir('sa3-home-');
    const checkpoint = join(await tempDir('sa3-ckpt-'), 'my-finetune');
    await writeCheckpointFolder(checkpoint);
    const env = { SA3_HOME: home };
    const converted = await runCli(['models', 'convert', checkpoint, '--precision', 'int8', '--json'], { env });
    expect(converted.code, converted.stderr).toBe(0);
    expect(converted.events.at(-1)).toMatchObject({ type: 'converted', id: 'my-finetune-int8' });
    expect(await readdir(join(home, 'packs'))).toEqual(['my-finetune-int8']);
    const packDir = join(home, 'packs', 'my-finetune-int8');
    const manifest = await readManifest(packDir);
    expect(manifest.precision).toBe('int8');
    expect(manifest.source.note).toMatch(
      /^Converted to int8 \(int8 weights and dynamically quantized uint8 activations on the DiT, text encoder and codec decoder MatMuls; float32 norms, attention, conditioning and codec encoder\) ONNX/,
    );
    await expectStampCurrent(packDir);

    const takes: Buffer[] = [];
    // Same file name in two folders: the embedded workflow (which names the file) is the same too.
    for (const folder of ['a', 'b']) {
      const out = join(home, folder, 'take.wav');
      const generated = await runCli(
        ['generate', 'a soft mid tone', '--model', 'my-finetune-int8', '--duration', '2', '--steps', '4', '--seed', '7', '--no-cache', '--out', out],
        { env },
      );
      expect(generated.code, generated.stderr).toBe(0);
      const [left, right] = decodeWithFfmpeg(out);
      expect([left!.length, right!.length]).toEqual([88_200, 88_200]);
      expect(left!.some((v) => v !== 0)).toBe(true);
      takes.push(await readFile(out));
    }
    expect(takes[1]!.equals(takes[0]!)).toBe(true);
  });

  it('--precision fp16 --out ID: a pack about half the size of fp32 for the DiT and text encoder, the same codec, and nearly the same audio', async () => {
    const home = await tempDir('sa3-home-');
    const checkpoint = join(await tempDir('sa3-ckpt-'), 'my-finetune');
    await writeCheckpointFolder(checkpoint);
    const env = { SA3_HOME: home };
    for (const [id, precision] of [
      ['tune32', 'fp32'],
      ['tune16', 'fp16'],
    ]) {
      const converted = await runCli(['models', 'convert', checkpoint, '--out', id!, '--precision', precision!], { env });
      expect(converted.code, converted.stderr).toBe(0);
    }
    const bytes = async (id: string, file: string) => (await stat(join(home, 'packs', id, file))).size;
    for (const file of ['dit.onnx.data', 'text_encoder.onnx.data']) {
      expect(await bytes('tune16', file)).toBeLessThan(0.75 * (await bytes('tune32', file)));
    }
    for (const file of ['encoder.onnx.data', 'decoder.onnx.data']) expect(await bytes('tune16', file)).toBe(await bytes('tune32', file));
    const manifest = JSON.parse(await readFile(join(home, 'packs', 'tune16', 'sa3-pack.json'), 'utf8')) as { source: { note: string } };
    expect(manifest.source.note).toMatch(/^Converted to float16 \(float32 norms, attention and codec\) ONNX/);

    const takes: Float32Array[] = [];
    for (const id of ['tune32', 'tune16']) {
      const out = join(home, `${id}.wav`);
      const generated = await runCli(['generate', 'a soft mid tone', '--model', id, '--duration', '2', '--steps', '4', '--seed', '1', '--out', out], { env });
      expect(generated.code, generated.stderr).toBe(0);
      takes.push(decodeWithFfmpeg(out)[0]!);
    }
    const [wide, half] = takes as [Float32Array, Float32Array];
    expect(half.length).toBe(88_200);
    let dot = 0,
      a2 = 0,
      b2 = 0;
    for (let i = 0; i < wide.length; i++) {
      dot += wide[i]! * half[i]!;
      a2 += wide[i]! ** 2;
      b2 += half[i]! ** 2;
    }
    expect(dot / Math.sqrt(a2 * b2)).toBeGreaterThan(0.999);
  });

  it('refuses a precision it does not convert to (int4, a typo), and --precision (int8 too) for a pack downloaded as published', async () => {
    const home = await tempDir('sa3-home-');
    for (const value of ['int4', 'in8']) {
      for (const action of ['convert', 'pull']) {
        const bad = await runCli(['models', action, action === 'convert' ? '/nowhere' : 'medium', '--precision', value], { env: { SA3_HOME: home } });
        expect(bad.code).toBe(2);
        expect(bad.stderr.trim()).toBe(`sa3 models: --precision "${value}" is not one sa3 converts to; use fp32, fp16 or int8`);
      }
    }
    for (const precision of ['fp16', 'int8']) {
      const published = await runCli(['models', 'pull', 'small-music', '--precision', precision], { env: { SA3_HOME: home } });
      expect(published.code).toBe(2);
      expect(published.stderr.trim()).toMatch(
        /^sa3 models: --precision applies to packs converted from a checkpoint \(medium, .*\); small-music is downloaded as published$/,
      );
    }
    const pulled8 = await runCli(['models', 'pull', 'medium', '--precision', 'int8'], { env: { SA3_HOME: home } });
    expect(pulled8.code).toBe(2);
    expect(pulled8.stderr.trim()).toBe(
      'sa3 models: an int8 pack is installed beside the float32 one under its own id, so it is made by convert: sa3 models pull medium --keep-checkpoint, then sa3 models convert $SA3_HOME/checkpoints/medium --precision int8 (installs medium-int8)',
    );
    expect(existsSync(join(home, 'packs'))).toBe(false);
  });

  it('refuses a folder that is not a checkpoint, naming what is missing, and installs nothing', async () => {
    const home = await tempDir('sa3-home-');
    const folder = join(await tempDir('sa3-ckpt-'), 'not-a-checkpoint');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'notes.txt'), 'hello');
    const result = await runCli(['models', 'convert', folder], { env: { SA3_HOME: home } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/model_config\.json|model\.safetensors/);
    expect(existsSync(join(home, 'packs', 'not-a-checkpoint'))).toBe(false);
  });
});
