import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { getNodeDefinition, parseWorkflow, RANDOM_SEED, SEED_MAX, serializeWorkflow, type SeedParam } from '@sa3/nodes';
import type { RunEvent } from '../src/app/run-events.js';
import { AppStore, initialAppState, type AppAction } from '../src/app/store/index.js';
import { seedControl } from '../src/plugin/react/controls/seed.js';
import type { ControlHost } from '../src/plugin/react/controls/control.js';
import { Sa3Node } from '../src/plugin/sa3-node.js';
import { nextSeed, seedModesFromMeta, seedModesToMeta, type SeedMode } from '../src/plugin/seed-modes.js';

let seq = 0;
function event(body: Record<string, unknown>): AppAction {
  return { type: 'run-event', event: { runId: 'run-1', seq: ++seq, time: '2025-01-01T00:00:00Z', ...body } as unknown as RunEvent };
}

function generate(seed: number, mode: SeedMode = 'fixed'): Sa3Node {
  const node = new Sa3Node('gen', 'sa3.generate', 1, { seed }, getNodeDefinition('sa3.generate'));
  node.setSeedMode('seed', mode);
  return node;
}

function seedMarkup(value: number, used: number | undefined, mode: SeedMode = 'fixed'): string {
  const host: ControlHost = {
    fieldId: 'gen-seed',
    models: () => [],
    packs: () => [],
    loras: () => [],
    setSibling: () => undefined,
    secondsLimit: () => undefined,
    upload: () => Promise.reject(new Error('no uploads here')),
    reportProblem: () => undefined,
    seedMode: () => mode,
    setSeedMode: () => undefined,
    usedSeed: () => used,
  };
  const spec = getNodeDefinition('sa3.generate')!.params.seed as SeedParam;
  return renderToStaticMarkup(seedControl.Control({ spec, value, set: () => undefined, host }) as never);
}

describe('the seed a run used', () => {
  it('run-start puts each node its seeds; they stay through the node events and the run end', () => {
    const store = new AppStore(initialAppState);
    store.dispatch(event({ type: 'run-start', order: ['prompt', 'gen'], seeds: { gen: { seed: 1234567 } } }));
    expect(store.getState().nodeRunStates.get('gen')).toEqual({ status: 'queued', seeds: { seed: 1234567 } });
    expect(store.getState().nodeRunStates.get('prompt')?.seeds).toBeUndefined();
    store.dispatch(event({ type: 'node-start', node: 'gen' }));
    store.dispatch(event({ type: 'node-progress', node: 'gen', step: 1, total: 2 }));
    store.dispatch(event({ type: 'node-done', node: 'gen', ms: 5 }));
    store.dispatch(event({ type: 'run-done', report: null }));
    expect(store.getState().nodeRunStates.get('gen')).toMatchObject({ status: 'done', seeds: { seed: 1234567 } });
    // The next Run clears it until its own run-start says.
    store.dispatch({ type: 'run-requested' });
    expect(store.getState().nodeRunStates.get('gen')).toBeUndefined();
  });

  it('a seed of -1 shows "used: N" with a keep button; a set seed or no run shows none', () => {
    const shown = seedMarkup(RANDOM_SEED, 1234567);
    expect(shown).toContain('used: <span data-testid="seed-used">1234567</span>');
    expect(shown).toContain('data-testid="seed-keep"');
    expect(seedMarkup(RANDOM_SEED, undefined)).toContain('random each run');
    expect(seedMarkup(RANDOM_SEED, undefined)).not.toContain('seed-keep');
    expect(seedMarkup(42, 42)).not.toContain('used:');
    expect(seedMarkup(42, undefined, 'increment')).toMatch(/<option value="increment" selected="">/);
  });
});

describe('after a finished run, each seed moves on as its mode says', () => {
  it('increment adds one, and wraps past the largest seed to 0', () => {
    const node = generate(41, 'increment');
    expect(node.applySeedModes()).toBe(true);
    expect(node.params.seed).toBe(42);
    expect(nextSeed(SEED_MAX, 'increment')).toBe(0);
  });

  it('randomize draws a different seed inside 0..SEED_MAX', () => {
    const node = generate(7, 'randomize');
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const before = node.params.seed;
      node.applySeedModes();
      const seed = node.params.seed as number;
      expect(seed).not.toBe(before);
      expect(Number.isInteger(seed) && seed >= 0 && seed <= SEED_MAX).toBe(true);
      seen.add(seed);
    }
    expect(seen.size).toBeGreaterThan(40);
    // A draw equal to the last seed is drawn again.
    const draws = [7, 7, 99];
    expect(nextSeed(7, 'randomize', () => draws.shift()!)).toBe(99);
  });

  it('fixed keeps the seed, and -1 stays -1 whatever the mode', () => {
    const fixed = generate(42);
    expect(fixed.applySeedModes()).toBe(false);
    expect(fixed.params.seed).toBe(42);
    for (const mode of ['increment', 'randomize'] as const) {
      const random = generate(RANDOM_SEED, mode);
      random.applySeedModes();
      expect(random.params.seed).toBe(RANDOM_SEED);
    }
  });
});

describe('seed modes in the workflow file', () => {
  it('live under meta.seedControl, which the format accepts, and round-trip', () => {
    const meta = seedModesToMeta({ viewport: { zoom: 1 } }, { gen: { seed: 'increment' }, other: { seed: 'fixed' } });
    expect(meta).toEqual({ viewport: { zoom: 1 }, seedControl: { gen: { seed: 'increment' } } });
    const text = serializeWorkflow({
      format: 'sa3-workflow',
      version: 1,
      nodes: [{ id: 'gen', type: 'sa3.generate', typeVersion: 1, params: { seed: 5 } }],
      connections: [],
      ...(meta ? { meta } : {}),
    });
    const { workflow, problems } = parseWorkflow(text);
    expect(problems).toEqual([]);
    expect(seedModesFromMeta(workflow?.meta)).toEqual({ gen: { seed: 'increment' } });
  });

  it('all fixed writes no seedControl; unreadable entries count as fixed', () => {
    expect(seedModesToMeta(undefined, { gen: { seed: 'fixed' } })).toBeUndefined();
    expect(seedModesToMeta({ seedControl: { gen: { seed: 'increment' } } }, {})).toEqual({});
    expect(seedModesFromMeta({ seedControl: { gen: { seed: 'sideways', steps: 3 }, bad: 1 } })).toEqual({});
  });
});
