import { defineNode, NodeError, type NodeServices } from '@sa3/nodes';
import { lookupFrom } from '../../src/workflow/index.js';

/** Counts how often each node id really ran, so tests can tell executed from cached. */
export const runs = new Map<string, number>();
function count(id: string): void {
  runs.set(id, (runs.get(id) ?? 0) + 1);
}

const text = (value: string) => ({ text: value, model: 'none' });

export const source = defineNode({
  type: 'test.source',
  typeVersion: 1,
  title: 'Source',
  category: 'Audio utilities',
  description: 'Emits its text as conditioning.',
  inputs: {},
  outputs: { out: { type: 'conditioning', label: 'Out' } },
  params: {
    text: { kind: 'string', label: 'Text', default: 'x', description: 'Text to emit.' },
    seed: { kind: 'seed', label: 'Seed', default: 7, description: 'A seed.' },
  },
  run({ nodeId, params }) {
    count(nodeId);
    return Promise.resolve({ out: text(`${params.text}#${params.seed}`) });
  },
});

export const append = defineNode({
  type: 'test.append',
  typeVersion: 1,
  title: 'Append',
  category: 'Audio utilities',
  description: 'Appends its suffix; reports three progress steps; can fail, wait for cancellation or hang.',
  inputs: { in: { type: 'conditioning', label: 'In' } },
  outputs: { out: { type: 'conditioning', label: 'Out' } },
  params: {
    suffix: { kind: 'string', label: 'Suffix', default: '', description: 'Suffix.' },
    behaviour: { kind: 'enum', label: 'Behaviour', options: ['ok', 'fail', 'wait', 'hang'], default: 'ok', description: 'What to do.' },
  },
  async run(ctx) {
    const { nodeId, params, inputs, signal } = ctx;
    count(nodeId);
    for (let step = 1; step <= 3; step++) ctx.progress(step, 3);
    if (params.behaviour === 'fail') throw new NodeError('test_failure', 'failed on purpose', { param: 'behaviour' });
    if (params.behaviour === 'wait') {
      await new Promise((_, reject) => {
        const abort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        if (signal.aborted) abort();
        else signal.addEventListener('abort', abort, { once: true });
      });
    }
    // A badly written node that never looks at its signal.
    if (params.behaviour === 'hang') await new Promise(() => undefined);
    return { out: text(inputs.in.text + params.suffix) };
  },
});

export const emit = defineNode({
  type: 'test.emit',
  typeVersion: 1,
  title: 'Emit',
  category: 'Audio I/O',
  description: 'Writes its input text as a file.',
  isOutput: true,
  inputs: { in: { type: 'conditioning', label: 'In' } },
  outputs: {},
  params: { filename: { kind: 'filename', label: 'File name', default: '{node}.{ext}', description: 'Name.' } },
  run(ctx) {
    const { nodeId, inputs, params } = ctx;
    count(nodeId);
    ctx.emitFile({ file: { bytes: new TextEncoder().encode(inputs.in.text), mime: 'text/plain', extension: 'txt' }, filenamePattern: params.filename });
    return Promise.resolve({});
  },
});

export const testNodes = lookupFrom([source, append, emit]);

export const noServices: NodeServices = {
  engine: null,
  audio: {
    load: () => Promise.reject(new Error('no audio in these tests')),
    fingerprint: () => Promise.resolve(''),
    encode: () => Promise.reject(new Error('no audio in these tests')),
    normalizeLoudness: () => Promise.reject(new Error('no audio in these tests')),
  },
};

export function chain(options: { suffix?: string; behaviour?: string; seed?: number; filename?: string } = {}) {
  return {
    format: 'sa3-workflow' as const,
    version: 1 as const,
    name: 'chain',
    nodes: [
      { id: 'src', type: 'test.source', typeVersion: 1, params: { text: 'a', seed: options.seed ?? 7 } },
      { id: 'mid', type: 'test.append', typeVersion: 1, params: { suffix: 'b' } },
      { id: 'end', type: 'test.append', typeVersion: 1, params: { suffix: options.suffix ?? 'c', behaviour: options.behaviour ?? 'ok' } },
      { id: 'out', type: 'test.emit', typeVersion: 1, params: { filename: options.filename ?? '{node}.{ext}' } },
    ],
    connections: [
      { from: ['src', 'out'] as const, to: ['mid', 'in'] as const },
      { from: ['mid', 'out'] as const, to: ['end', 'in'] as const },
      { from: ['end', 'out'] as const, to: ['out', 'in'] as const },
    ],
  };
}
