import { describe, expect, it } from 'vitest';
import { builtinNodes, loadWorkflow, serializeWorkflow, type Problem } from '../../src/workflow/index.js';
import { validWorkflow, type WorkflowDocument } from './fixtures.js';

function problemsOf(doc: unknown, options = {}): Problem[] {
  return [...loadWorkflow(typeof doc === 'string' ? doc : JSON.stringify(doc), options).problems];
}

function mutate(change: (w: WorkflowDocument) => void): WorkflowDocument {
  const w = validWorkflow();
  change(w);
  return w;
}

describe('loadWorkflow', () => {
  it('accepts a valid workflow with no problems', () => {
    const result = loadWorkflow(JSON.stringify(validWorkflow()), { requireOutputs: true });
    expect(result.problems).toEqual([]);
    expect(result.workflow?.nodes.map((n) => n.id)).toEqual(['load', 'trim', 'fade', 'convert', 'save']);
  });

  it('reports every problem of a file at once, each naming its node and param or input', () => {
    const w = mutate((w) => {
      w.nodes[1]!.params.start_seconds = -1; // value_smaller_than_min
      w.nodes[2]!.params.curve = 'cubic'; // value_not_in_list
      w.nodes[3]!.params.mp3_bitrate = '192k'; // invalid_param_type
      w.nodes[3]!.params.loudness = 3; // unknown_param
      w.nodes.push({ id: 'mystery', type: 'audio.reverb', typeVersion: 1, params: {} }); // unknown_node_type
      w.connections.push({ from: ['convert', 'file'], to: ['fade', 'audio'] }); // return_type_mismatch + already connected + cycle
    });
    const problems = problemsOf(w);
    const codes = problems.map((p) => `${p.code}@${p.node}.${p.param ?? p.input ?? ''}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'value_smaller_than_min@trim.start_seconds',
        'value_not_in_list@fade.curve',
        'invalid_param_type@convert.mp3_bitrate',
        'unknown_param@convert.loudness',
        'unknown_node_type@mystery.',
        'return_type_mismatch@fade.audio',
        'input_already_connected@fade.audio',
      ]),
    );
    expect(problems.some((p) => p.code === 'cycle')).toBe(true);
    for (const p of problems) expect(p.message.length).toBeGreaterThan(20);
  });

  it('names the line and column of a JSON syntax error', () => {
    const [problem] = problemsOf('{\n  "format": "sa3-workflow",\n  "version": 1,,\n}');
    expect(problem?.code).toBe('invalid_json');
    expect(problem?.message).toMatch(/line 3/);
  });

  it('says when the file is from a newer version', () => {
    const problems = problemsOf(mutate((w) => (w.version = 2)));
    // vitest types its asymmetric matchers as any.
    expect(problems).toEqual([expect.objectContaining({ code: 'unsupported_version', message: expect.stringMatching(/newer/) as unknown })]);
  });

  it('finds a cycle and lists the nodes along it', () => {
    const w = mutate((w) => {
      w.nodes.push({ id: 'gain', type: 'audio.gain', typeVersion: 1, params: {} });
      w.nodes.push({ id: 'mix', type: 'audio.concat', typeVersion: 1, params: {} });
      w.connections.push(
        { from: ['gain', 'audio'], to: ['mix', 'a'] },
        { from: ['mix', 'audio'], to: ['gain', 'audio'] },
        { from: ['load', 'audio'], to: ['mix', 'b'] },
      );
    });
    const cycle = problemsOf(w).find((p) => p.code === 'cycle');
    expect(cycle?.message).toMatch(/gain -> mix -> gain|mix -> gain -> mix/);
  });

  it('applies --set overrides with the param type, and reports unknown targets', () => {
    const ok = loadWorkflow(JSON.stringify(validWorkflow()), { overrides: [{ node: 'convert', param: 'mp3_bitrate', value: '320' }] });
    expect(ok.problems).toEqual([]);
    expect(ok.workflow?.nodes.find((n) => n.id === 'convert')?.params.mp3_bitrate).toBe(320);
    const bad = problemsOf(validWorkflow(), {
      overrides: [
        { node: 'nope', param: 'x', value: '1' },
        { node: 'trim', param: 'length', value: '1' },
        { node: 'trim', param: 'start_seconds', value: 'soon' },
      ],
    });
    expect(bad.map((p) => p.code)).toEqual(['missing_node', 'unknown_param', 'invalid_param_type']);
  });

  it('refuses an output name that leaves the output directory', () => {
    for (const filename of ['../escape.wav', '/etc/passwd', 'a/../../b.wav', 'C:\\temp\\x.wav']) {
      const problems = problemsOf(mutate((w) => (w.nodes[4]!.params.filename = filename)));
      expect(problems).toEqual([expect.objectContaining({ code: 'output_path_escapes', node: 'save', param: 'filename' })]);
    }
  });

  it('checks ranges that involve two params', () => {
    const problems = problemsOf(mutate((w) => (w.nodes[1]!.params.end_seconds = 0.25)));
    expect(problems).toEqual([expect.objectContaining({ code: 'invalid_range', node: 'trim', param: 'end_seconds' })]);
  });
});

describe('migrations', () => {
  it("upgrades audio.convert version 1 (the hosted schema's output_format) to version 2", () => {
    const w = mutate((w) => {
      w.nodes[3] = { id: 'convert', type: 'audio.convert', typeVersion: 1, params: { output_format: 'mp3' } };
    });
    const result = loadWorkflow(JSON.stringify(w));
    expect(result.problems).toEqual([]);
    expect(result.migrations).toEqual([{ node: 'convert', type: 'audio.convert', from: 1, to: 2 }]);
    const convert = result.workflow!.nodes.find((n) => n.id === 'convert')!;
    expect(convert).toMatchObject({ typeVersion: 2, params: { format: 'mp3' } });
    expect(convert.params).not.toHaveProperty('output_format');
  });

  it('refuses a node newer than the runtime knows', () => {
    const problems = problemsOf(mutate((w) => (w.nodes[0]!.typeVersion = 9)));
    expect(problems).toEqual([expect.objectContaining({ code: 'type_version_too_new', node: 'load' })]);
  });
});

describe('serializeWorkflow', () => {
  it('is byte-stable: save -> load -> save gives the same bytes', () => {
    const messy = JSON.stringify({
      ...validWorkflow(),
      nodes: validWorkflow().nodes.map((n) => ({ position: n.position, params: n.params, typeVersion: n.typeVersion, type: n.type, id: n.id })),
    });
    const first = serializeWorkflow(loadWorkflow(messy).workflow!, builtinNodes);
    const second = serializeWorkflow(loadWorkflow(first).workflow!, builtinNodes);
    expect(second).toBe(first);
    expect(first.endsWith('}\n')).toBe(true);
    expect(first).toContain('"position": [240, 0]');
  });

  it('keeps nodes of unknown types and their params untouched', () => {
    const w = mutate((w) => w.nodes.push({ id: 'future', type: 'fx.reverb', typeVersion: 3, params: { z: 1, a: { deep: [1, 2] } } }));
    const text = serializeWorkflow(loadWorkflow(JSON.stringify(w)).workflow!, builtinNodes);
    const again = JSON.parse(text) as WorkflowDocument;
    expect(again.nodes.at(-1)).toEqual({ id: 'future', type: 'fx.reverb', typeVersion: 3, params: { z: 1, a: { deep: [1, 2] } } });
  });
});
