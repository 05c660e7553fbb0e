import { posix } from 'node:path';
import type { FileRole } from './catalogue-entry.js';

const roleNames: Readonly<Record<FileRole, string>> = {
  textEncoder: 'text encoder graph',
  dit: 'DiT graph',
  encoder: 'audio encoder graph',
  decoder: 'audio decoder graph',
  conditioner: 'seconds conditioner graph',
  tokenizer: 'tokenizer',
  tokenizerConfig: 'tokenizer config',
  externalData: 'graph weights (external data)',
  checkpointWeights: 'checkpoint weights',
  checkpointConfig: 'checkpoint config',
  textEncoderWeights: 'T5Gemma weights',
  textEncoderConfig: 'T5Gemma config',
};

const graphRoleSet: ReadonlySet<FileRole> = new Set<FileRole>(['textEncoder', 'dit', 'encoder', 'decoder', 'conditioner']);

export function describeRole(role: FileRole): string {
  return roleNames[role];
}

export function isGraphRole(role: FileRole): role is 'textEncoder' | 'dit' | 'encoder' | 'decoder' | 'conditioner' {
  return graphRoleSet.has(role);
}

/**
 * Whether `candidate` (a path) looks like external data of the graph at `graphPath`: in the same
 * folder and named dit.onnx.data, dit.onnx_data (and numbered shards of those) or dit.data.
 */
export function isCompanionOf(candidate: string, graphPath: string): boolean {
  if (posix.dirname(candidate) !== posix.dirname(graphPath) || candidate === graphPath) return false;
  const name = posix.basename(candidate);
  const base = posix.basename(graphPath);
  const stem = base.replace(/\.onnx$/, '');
  return name.startsWith(`${base}.data`) || name.startsWith(`${base}_data`) || name === `${stem}.data`;
}
