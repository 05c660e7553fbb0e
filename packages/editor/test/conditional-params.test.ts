import { describe, expect, it } from 'vitest';
import { getNodeDefinition } from '@sa3/nodes';
import { Sa3Node } from '../src/plugin/sa3-node.js';
import { paramProblems } from '../src/plugin/param-problems.js';
import { controlFor } from '../src/plugin/react/controls/index.js';

function node(type: string, params: Record<string, unknown>): Sa3Node {
  return new Sa3Node('n', type, 1, params, getNodeDefinition(type));
}

/** Header and ports, then each shown field at the height its kind's control gives it. */
function expectedHeight(n: Sa3Node, shownParams: readonly string[]): number {
  const ports = Object.keys(n.inputs).length + Object.keys(n.outputs).length;
  const params = n.definition!.params;
  return 56 + ports * 26 + shownParams.reduce((sum, name) => sum + controlFor(params[name]!).height(params[name]!), 0);
}

describe('a node lays out only the params that apply', () => {
  it('a convert node counts format and the one setting of its format', () => {
    const convert = node('audio.convert', {});
    expect(convert.height).toBe(expectedHeight(convert, ['format', 'wav_bit_depth']));
    convert.setParam('format', 'mp3');
    expect(convert.height).toBe(expectedHeight(convert, ['format', 'mp3_bitrate']));
  });

  it('a multiline text field is taller than a one-line field, by its kind', () => {
    const prompt = node('sa3.prompt', {});
    const text = prompt.definition!.params.text!;
    const model = prompt.definition!.params.model!;
    expect(controlFor(text).height(text)).toBeGreaterThan(controlFor(model).height(model));
    expect(prompt.height).toBe(expectedHeight(prompt, ['text', 'model']));
  });
});

describe('problems of a param whose field is hidden', () => {
  it('show on the node, naming the param by its label', () => {
    expect(paramProblems(node('audio.convert', { format: 'wav', mp3_bitrate: 100 }))).toEqual([
      { code: 'value_not_in_list', message: 'MP3 bitrate is 100, not one of 64, 96, 128, 160, 192, 224, 256, 320' },
    ]);
    expect(paramProblems(node('audio.convert', { format: 'mp3', mp3_bitrate: 100 }))[0]?.param).toBe('mp3_bitrate');
  });

  it('a param set for another format is no problem on the node', () => {
    expect(paramProblems(node('audio.convert', { format: 'wav', mp3_bitrate: 320 }))).toEqual([]);
  });
});
