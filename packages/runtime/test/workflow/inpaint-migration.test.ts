import { describe, expect, it } from 'vitest';
import { builtinNodes, loadWorkflow, serializeWorkflow } from '../../src/workflow/index.js';

/** A workflow as version 1 of sa3.inpaint wrote it (examples/inpaint-region.json before regions). */
const versionOne = `{
  "format": "sa3-workflow",
  "version": 1,
  "name": "inpaint-region",
  "nodes": [
    { "id": "source", "type": "audio.load", "typeVersion": 1, "params": { "source": "audio/chord.wav" } },
    { "id": "prompt", "type": "sa3.prompt", "typeVersion": 1, "params": { "text": "A high whistle melody over the chord" } },
    {
      "id": "inpaint",
      "type": "sa3.inpaint",
      "typeVersion": 1,
      "params": { "model": "auto", "start_seconds": 1, "end_seconds": 2.5, "steps": 8, "seed": 5, "crossfade_ms": 30 }
    },
    { "id": "save", "type": "audio.save", "typeVersion": 1, "params": { "filename": "{workflow}.{ext}" } }
  ],
  "connections": [
    { "from": ["prompt", "conditioning"], "to": ["inpaint", "prompt"] },
    { "from": ["source", "audio"], "to": ["inpaint", "audio"] },
    { "from": ["inpaint", "audio"], "to": ["save", "audio"] }
  ]
}`;

describe('sa3.inpaint version 1 files', () => {
  it('load as version 2 with their one region, and save as version 2', () => {
    const loaded = loadWorkflow(versionOne, { requireOutputs: true });
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
