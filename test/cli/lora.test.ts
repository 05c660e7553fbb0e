/**
 * LoRA files through the CLI on a pack converted from the medium-tiny fixture checkpoint, with the
 * official adapter files of ../shared/fixtures/sa3-reference/lora (never copied into the project:
 * the tests read them where they are, or copy them into temp folders to damage them).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeCheckpointFolder } from '../../packages/runtime/test/compiler/checkpoint-folder.js';
import { decodeWithFfmpeg } from '../helpers/audio-probe.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { sharedDir } from '../helpers/shared.js';

const loraDir = join(sharedDir, 'fixtures/sa3-reference/lora');
const haveShared = existsSync(loraDir) || process.env.SA3_REQUIRE_SHARED === '1';
if (!haveShared) console.warn(`skipping the LoRA CLI tests: ${loraDir} is absent (clone with ../shared beside the repository)`);

const MEDIUM_LORA = join(loraDir, 'medium-tiny', 'lora_lora_r4.safetensors');
const MEDIUM_DORA = join(loraDir, 'medium-tiny', 'lora_dora-rows_r4.safetensors');
const SMALL_LORA = join(loraDir, 'small-tiny', 'lora_lora_r4.safetensors');
const PACK = 'tiny-lora';

describe.runIf(haveShared)('LoRA files through sa3', () => {
  let home: string;
  let work: string;
  let env: Record<string, string>;
  let plain: Float32Array;

  const generate = async (name: string, extra: readonly string[] = []) => {
    const out = join(work, `${name}.wav`);
    const args = ['generate', 'a soft mid tone', '--model', PACK, '--duration', '2', '--steps', '4', '--seed', '7', '--out', out, ...extra];
    const result = await runCli(args, { env, cwd: work });
    return { ...result, out };
  };
  /** Both channels' samples, one after the other. */
  const samples = (path: string) => {
    const channels = decodeWithFfmpeg(path);
    const out = new Float32Array(channels.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const channel of channels) {
      out.set(channel, at);
      at += channel.length;
    }
    return out;
  };

  beforeAll(async () => {
    home = await tempDir('sa3-home-');
    work = await tempDir('sa3-lora-');
    env = { SA3_HOME: home };
    const checkpoint = join(await tempDir('sa3-ckpt-'), PACK);
    await writeCheckpointFolder(checkpoint);
    const converted = await runCli(['models', 'convert', checkpoint], { env });
    expect(converted.code, converted.stderr).toBe(0);
    const base = await generate('plain');
    expect(base.code, base.stderr).toBe(0);
    plain = samples(base.out);
  }, 300_000);

  it('a LoRA file changes the audio; strength 0 gives the same samples as no LoRA', async () => {
    const adapted = await generate('adapted', ['--lora', `${MEDIUM_LORA}:1`]);
    expect(adapted.code, adapted.stderr).toBe(0);
    const withLora = samples(adapted.out);
    expect(withLora.length).toBe(plain.length);
    let changed = 0;
    for (let i = 0; i < plain.length; i++) if (withLora[i] !== plain[i]) changed++;
    expect(changed / plain.length).toBeGreaterThan(0.5);

    const zero = await generate('zero', ['--lora', `${MEDIUM_LORA}:0`]);
    expect(zero.code, zero.stderr).toBe(0);
    expect(Buffer.from(samples(zero.out).buffer).equals(Buffer.from(plain.buffer))).toBe(true);
  });

  it('with the disk cache on, the sampler is served from cache only for the same adapter stack', async () => {
    const cached = { ...env, SA3_CACHE: 'on' };
    const statusOfSampler = async (name: string, extra: readonly string[]) => {
      const out = join(work, `${name}.wav`);
      const args = ['generate', 'a soft mid tone', '--model', PACK, '--duration', '2', '--steps', '4', '--seed', '7', '--out', out, '--json', ...extra];
      const result = await runCli(args, { env: cached, cwd: work });
      expect(result.code, result.stderr).toBe(0);
      return result.events.some((e) => e.type === 'node-cached' && e.node === 'sampler') ? 'cached' : 'ran';
    };
    expect(await statusOfSampler('c1', ['--lora', `${MEDIUM_LORA}:1`])).toBe('ran');
    expect(await statusOfSampler('c2', ['--lora', `${MEDIUM_LORA}:1`])).toBe('cached');
    expect(await statusOfSampler('c3', ['--lora', `${MEDIUM_LORA}:0.5`])).toBe('ran');
    expect(await statusOfSampler('c4', [])).toBe('ran');
    expect(await statusOfSampler('c5', ['--lora', `${MEDIUM_DORA}:1`])).toBe('ran');
  });

  it('sa3 serve --lora applies the file to every Cog prediction, with the input schema unchanged', async () => {
    const predict = async (args: readonly string[]) => {
      let audio: Float32Array | undefined;
      let schema: unknown;
      let failure: Error | undefined;
      const served = await runCli(['serve', '--port', '0', ...args], {
        env: { ...env, SA3_TOKEN: '' },
        cwd: work,
        onStdoutLine: (line, child) => {
          const match = /^sa3 serve: listening on (\S+)/.exec(line);
          if (!match) return;
          void (async () => {
            const base = match[1]!;
            schema = await (await fetch(new URL('/openapi.json', base))).json();
            const response = await fetch(new URL('/predictions', base), {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ input: { prompt: 'a soft mid tone', duration: 2, steps: 4, seed: 7 } }),
            });
            const body = (await response.json()) as { status: string; output: string; error?: string };
            expect(body.status, body.error).toBe('succeeded');
            const file = join(work, `served-${args.length}.wav`);
            await writeFile(file, Buffer.from(body.output.slice(body.output.indexOf(',') + 1), 'base64'));
            audio = samples(file);
          })()
            .catch((error: unknown) => (failure = error instanceof Error ? error : new Error(String(error))))
            .finally(() => process.kill(child.pid!, 'SIGTERM'));
        },
      });
      if (failure) throw failure;
      expect(served.code, served.stderr).toBe(0);
      return { audio: audio!, schema };
    };
    const plainServer = await predict([]);
    const loraServer = await predict(['--lora', `${MEDIUM_LORA}:1`]);
    expect(loraServer.schema).toEqual(plainServer.schema);
    expect(Buffer.from(plainServer.audio.buffer).equals(Buffer.from(plain.buffer))).toBe(true);
    const adapted = await generate('adapted-for-serve', ['--lora', `${MEDIUM_LORA}:1`]);
    expect(Buffer.from(loraServer.audio.buffer).equals(Buffer.from(samples(adapted.out).buffer))).toBe(true);
  });

  it('a stack is applied in order: lora then dora-rows differs from dora-rows then lora', async () => {
    const forward = await generate('forward', ['--lora', `${MEDIUM_LORA}:1`, '--lora', `${MEDIUM_DORA}:-0.5`]);
    const backward = await generate('backward', ['--lora', `${MEDIUM_DORA}:-0.5`, '--lora', `${MEDIUM_LORA}:1`]);
    expect(forward.code, forward.stderr).toBe(0);
    expect(backward.code, backward.stderr).toBe(0);
    expect(Buffer.from(samples(forward.out).buffer).equals(Buffer.from(samples(backward.out).buffer))).toBe(false);
  });

  it('a workflow whose recorded sha256 differs from the file is refused, naming the file', async () => {
    const recorded = 'f'.repeat(64);
    const workflow = {
      format: 'sa3-workflow',
      version: 1,
      name: 'pinned',
      nodes: [
        { id: 'prompt', type: 'sa3.prompt', typeVersion: 1, params: { text: 'a soft mid tone', model: PACK }, position: [0, 0] },
        { id: 'model', type: 'sa3.model', typeVersion: 1, params: { pack: PACK }, position: [0, 200] },
        { id: 'lora', type: 'sa3.lora', typeVersion: 1, params: { file: MEDIUM_LORA, strength: 1, sha256: recorded }, position: [200, 200] },
        { id: 'gen', type: 'sa3.generate', typeVersion: 1, params: { duration: 2, steps: 4, seed: 7 }, position: [400, 0] },
        { id: 'save', type: 'audio.save', typeVersion: 1, params: { filename: 'pinned.wav' }, position: [600, 0] },
      ],
      connections: [
        { from: ['prompt', 'conditioning'], to: ['gen', 'prompt'] },
        { from: ['model', 'model'], to: ['lora', 'model'] },
        { from: ['lora', 'model'], to: ['gen', 'model'] },
        { from: ['gen', 'audio'], to: ['save', 'audio'] },
      ],
    };
    const file = join(work, 'pinned.json');
    await writeFile(file, JSON.stringify(workflow));
    const outDir = join(work, 'pinned-out');
    const run = await runCli(['run', file, '--out', outDir], { env, cwd: work });
    expect(run.code).toBe(2);
    const actual = (await import('node:crypto'))
      .createHash('sha256')
      .update(await readFile(MEDIUM_LORA))
      .digest('hex');
    expect(run.stderr).toContain(`the LoRA file ${MEDIUM_LORA} has changed: its sha256 is ${actual}, but the workflow recorded ${recorded}`);
    expect(existsSync(join(outDir, 'pinned.wav'))).toBe(false);
  });

  it('a LoRA for another model family is refused, naming the first mismatched layer', async () => {
    const run = await generate('small', ['--lora', SMALL_LORA]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${SMALL_LORA} does not fit the pack "${PACK}": its first mismatched layer is "model.transformer.layers.0.cross_attn.to_kv"`);
    expect(existsSync(run.out)).toBe(false);
  });

  it('a truncated LoRA file is refused', async () => {
    const truncated = join(work, 'truncated.safetensors');
    const bytes = await readFile(MEDIUM_LORA);
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const run = await generate('truncated', ['--lora', truncated]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`${truncated.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*(truncated|ends|shorter)`));
    expect(existsSync(run.out)).toBe(false);
  });

  it('models lora import, list and remove; an installed LoRA is found by name', async () => {
    const imported = await runCli(['models', 'lora', 'import', MEDIUM_LORA, '--name', 'warm'], { env });
    expect(imported.code, imported.stderr).toBe(0);
    expect(await readdir(join(home, 'loras'))).toEqual(['warm.safetensors']);
    const listed = await runCli(['models', 'lora', 'list', '--json'], { env });
    expect(JSON.parse(listed.stdout)).toMatchObject({
      installed: [{ name: 'warm', adapterType: 'lora', rank: 4, bytes: (await readFile(MEDIUM_LORA)).length }],
    });

    const byName = await generate('by-name', ['--lora', 'warm:1']);
    const byPath = await generate('by-path', ['--lora', `${MEDIUM_LORA}:1`]);
    expect(byName.code, byName.stderr).toBe(0);
    expect(Buffer.from(samples(byName.out).buffer).equals(Buffer.from(samples(byPath.out).buffer))).toBe(true);

    const notLora = join(work, 'not-a-lora.safetensors');
    await writeFile(notLora, 'hello');
    const refused = await runCli(['models', 'lora', 'import', notLora], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${notLora} is not a LoRA file`);

    const removed = await runCli(['models', 'lora', 'remove', 'warm'], { env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(await readdir(join(home, 'loras'))).toEqual([]);
    const gone = await generate('gone', ['--lora', 'warm']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('no LoRA file "warm"');
  });
});
