import { join } from 'node:path';
import { type PackManifest, PackError } from '../pack-format/index.js';
import { readOnnxSummary } from './onnx-summary.js';

/** Checks, without loading them, that a pack's graphs are ONNX and have the inputs and outputs its manifest names. */
export async function checkPackGraphs(dir: string, manifest: PackManifest): Promise<void> {
  for (const [role, graph] of Object.entries(manifest.graphs)) {
    if (!graph) continue;
    const summary = await readOnnxSummary(join(dir, graph.file));
    if (!summary)
      throw new PackError('graph_unloadable', `${join(dir, graph.file)} is not an ONNX model, but the pack uses it as its ${role} graph`, graph.file);
    for (const [kind, declared, actual] of [
      ['input', graph.inputs, summary.inputs],
      ['output', graph.outputs, summary.outputs],
    ] as const) {
      for (const [tensorRole, spec] of Object.entries(declared)) {
        if (!actual.some((t) => t.name === spec.name)) {
          throw new PackError(
            'graph_mismatch',
            `${graph.file} has no ${kind} "${spec.name}" (the ${tensorRole} ${kind} the pack declares); its ${kind}s are ${actual.map((t) => t.name).join(', ')}`,
            graph.file,
          );
        }
      }
    }
  }
}
