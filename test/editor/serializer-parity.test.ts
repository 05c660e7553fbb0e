import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinNodes, loadWorkflow, serializeWorkflow } from '@sa3/runtime';
import { parseWorkflow, serializeWorkflow as editorSerialize } from '@sa3/editor/workflow-json';
import { examplesDir } from '../helpers/paths.js';

const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('the editor writes workflow files byte for byte as the runtime does', () => {
  it.each(examples)('%s', (file) => {
    const text = readFileSync(join(examplesDir, file), 'utf8');
    const runtimeWorkflow = loadWorkflow(text).workflow!;
    const editorWorkflow = parseWorkflow(text);
    expect(editorSerialize(editorWorkflow)).toBe(serializeWorkflow(runtimeWorkflow, builtinNodes));
    expect(editorSerialize(editorWorkflow)).toBe(text);
  });

  it('agrees on unknown node types, titles, meta and models', () => {
    const workflow = {
      format: 'sa3-workflow' as const,
      version: 1 as const,
      name: 'mixed',
      nodes: [
        {
          id: 'x',
          type: 'vendor.reverb',
          typeVersion: 3,
          title: 'Big hall',
          params: { zeta: 1, alpha: [1, 2, { deep: 'yes' }], long: 'a'.repeat(120) },
          position: [10, -20] as const,
        },
        { id: 'gen', type: 'sa3.generate', typeVersion: 1, params: { seed: 5, duration: 12.5, extra: null }, position: [300, 0] as const },
      ],
      connections: [{ from: ['x', 'out'] as const, to: ['gen', 'prompt'] as const }],
      models: { medium: { sha256: 'ab'.repeat(32) } },
      meta: { editor: { zoom: 0.8 } },
    };
    expect(editorSerialize(workflow)).toBe(serializeWorkflow(workflow as never, builtinNodes));
  });
});
