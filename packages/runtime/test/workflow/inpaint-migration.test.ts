import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { builtinNodes, loadWorkflow, serializeWorkflow } from '../../src/workflow/index.js';

const example = (name: string) => readFile(new URL(`../../../../examples/${name}`, import.meta.url), 'utf8');

describe('sa3.inpaint version 1 files', () => {
  it('load as version 2 with their one region, and save as version 2', async () => {
    const text = await example('inpaint-region.json');
    expect(text).toContain('"typeVersion": 1,\n      "params": {\n        "model": "auto",\n        "start_seconds": 1,');
    const loaded = loadWorkflow(text, { requireOutputs: true });
    expect(loaded.problems).toEqual([]);
    expect(loaded.migrations).toEqual([{ node: 'inpaint', type: 'sa3.inpaint', from: 1, to: 2 }]);
    const inpaint = loaded.workflow!.nodes.find((n) => n.id === 'inpaint')!;
    expect(inpaint.typeVersion).toBe(2);
    expect(inpaint.params).toEqual({ model: 'auto', steps: 8, seed: 5, crossfade_ms: 30, regions: [{ start: 1, end: 2.5 }] });
    const saved = serializeWorkflow(loaded.workflow!, builtinNodes);
    expect(saved).not.toContain('start_seconds');
    expect(loadWorkflow(saved).migrations).toEqual([]);
  });

  it('a version 2 file with a bad region names the node, the param and the region', () => {
    const text = JSON.stringify({
      format: 'sa3-workflow',
      version: 1,
      name: 'bad',
      nodes: [
        {
          id: 'inpaint',
          type: 'sa3.inpaint',
          typeVersion: 2,
          params: {
            regions: [
              { start: 1, end: 2 },
              { start: 3, end: 2.5 },
            ],
          },
        },
      ],
      connections: [],
    });
    const problem = loadWorkflow(text).problems.find((p) => p.param === 'regions');
    expect(problem).toMatchObject({ code: 'invalid_range', node: 'inpaint', param: 'regions' });
    expect(problem?.message).toContain('region 2 ends at 2.5 s, which is not after its start 3 s');
  });
});
