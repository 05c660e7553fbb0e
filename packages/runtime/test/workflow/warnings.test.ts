import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../src/workflow/index.js';
import { validWorkflow } from './fixtures.js';

function convertWith(params: Record<string, unknown>): string {
  const w = validWorkflow() as { nodes: { id: string; params: Record<string, unknown> }[] };
  w.nodes.find((n) => n.id === 'convert')!.params = params;
  return JSON.stringify(w);
}

describe('warnings: params a node will not use', () => {
  it('an MP3 bitrate on a WAV convert is one warning, not a problem', () => {
    const loaded = loadWorkflow(convertWith({ format: 'wav', mp3_bitrate: 320 }), { requireOutputs: true });
    expect(loaded.problems).toEqual([]);
    expect(loaded.warnings).toEqual([
      {
        code: 'param_not_applicable',
        message: 'node "convert" param "mp3_bitrate" is set, but it is used only when format is mp3 (format is "wav"), so it is ignored',
        node: 'convert',
        param: 'mp3_bitrate',
      },
    ]);
  });

  it('a --set of a param for another format warns the same way', () => {
    const loaded = loadWorkflow(convertWith({ format: 'mp3' }), { overrides: [{ node: 'convert', param: 'ogg_quality', value: '7.5' }] });
    expect(loaded.problems).toEqual([]);
    expect(loaded.workflow?.nodes.find((n) => n.id === 'convert')?.params.ogg_quality).toBe(7.5);
    expect(loaded.warnings.map((w) => `${w.node}.${w.param}`)).toEqual(['convert.ogg_quality']);
  });

  it('a value the kind refuses is still a problem, whichever format applies', () => {
    const loaded = loadWorkflow(convertWith({ format: 'wav', mp3_bitrate: 100 }));
    expect(loaded.problems.map((p) => p.code)).toEqual(['value_not_in_list']);
  });

  it('the format-specific param of the format chosen warns about nothing', () => {
    expect(loadWorkflow(convertWith({ format: 'flac', flac_compression: 8 })).warnings).toEqual([]);
  });
});
