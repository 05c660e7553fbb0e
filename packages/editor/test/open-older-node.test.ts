import { describe, expect, it } from 'vitest';
import { nodeFromWorkflow } from '../src/plugin/graph-io.js';
import { paramProblems } from '../src/plugin/param-problems.js';

describe('a node written for an older typeVersion', () => {
  it('opens upgraded as the runtime upgrades it: sa3.inpaint version 1 gets its one region', () => {
    const node = nodeFromWorkflow({ id: 'inpaint', type: 'sa3.inpaint', typeVersion: 1, params: { start_seconds: 1, end_seconds: 2.5, seed: 5 } });
    expect(node.typeVersion).toBe(2);
    expect(node.params).toEqual({ seed: 5, regions: [{ start: 1, end: 2.5 }] });
    expect(paramProblems(node)).toEqual([]);
  });

  it('a version the catalogue has no migration from stays as written', () => {
    const node = nodeFromWorkflow({ id: 'gen', type: 'sa3.generate', typeVersion: 0, params: { duration: 3 } });
    expect(node.typeVersion).toBe(0);
    expect(node.params).toEqual({ duration: 3 });
  });
});
