import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AudioClip, Conditioning, EngineCallContext } from '@sa3/nodes';
import { expect } from 'vitest';
import { Sa3Engine } from '../../src/engine/sa3-engine.js';
import { PackLocator } from '../../src/store/pack-locator.js';
import { writeTestPack, type TestPackOptions } from '../../src/testpack/index.js';

/** A folder of test packs under the ids real packs have, and an engine that only sees them. */
export async function testPackRoot(packs: Record<string, Omit<TestPackOptions, 'id'>>): Promise<{ root: string; engine: Sa3Engine; logs: string[] }> {
  const root = await mkdtemp(join(tmpdir(), 'sa3-packs-'));
  for (const [id, options] of Object.entries(packs)) await writeTestPack(join(root, id), { ...options, id });
  const logs: string[] = [];
  return { root, engine: new Sa3Engine({ packs: new PackLocator([root]), log: (line) => logs.push(line) }), logs };
}

export function callContext(progress: [number, number, string?][] = [], signal: AbortSignal = new AbortController().signal): EngineCallContext {
  return { signal, onProgress: (step, total, phase) => progress.push([step, total, phase]) };
}

export function conditioning(text: string, model: string): Conditioning {
  return { text, model };
}

export function sameSamples(a: AudioClip, b: AudioClip): boolean {
  return (
    a.channels.length === b.channels.length &&
    a.channels.every((c, i) =>
      Buffer.from(c.buffer, c.byteOffset, c.byteLength).equals(Buffer.from(b.channels[i]!.buffer, b.channels[i]!.byteOffset, b.channels[i]!.byteLength)),
    )
  );
}

/** Generates 2 s from `model` in the packs under `root` twice with one seed: 88,200 finite frames per channel, both takes identical. */
export async function expectTwoSecondsTwiceAlike(root: string, model: string, seed: number): Promise<void> {
  const engine = new Sa3Engine({ packs: new PackLocator([root]), log: () => undefined });
  try {
    const generate = () =>
      engine.generate({ model, prompt: conditioning('a soft mid tone', model), steps: 4, cfgScale: 1, seed, durationSeconds: 2 }, callContext());
    const first = await generate();
    expect(first.channels.map((c) => c.length)).toEqual([88_200, 88_200]);
    expect(first.channels.every((c) => c.every(Number.isFinite))).toBe(true);
    expect(sameSamples(first, await generate())).toBe(true);
  } finally {
    await engine.close();
  }
}
