import type { NodeEditor } from 'rete';
import type { Sa3Node } from './sa3-node.js';
import type { Sa3Schemes } from './schemes.js';
import { sourceLabel } from './upload-names.js';

/** Audio to draw for a node: where to fetch it and what to call it. */
export interface SourceAudio {
  readonly url: string;
  readonly label: string;
}

/** A Load audio node's file, before any run, through the server's audio preview. */
export function loadPreview(source: unknown, previewUrl: string): SourceAudio | null {
  if (typeof source !== 'string' || source.trim() === '') return null;
  return { url: `${previewUrl}?source=${encodeURIComponent(source)}`, label: sourceLabel(source) };
}

/**
 * The audio feeding a node's `audio` input: the upstream node's output of the last run when it
 * has one, else, for a Load audio node, its file as the server previews it.
 */
export function audioFeeding(node: Sa3Node, editor: NodeEditor<Sa3Schemes>, previewUrl: string): SourceAudio | null {
  const wire = editor.getConnections().find((c) => c.target === node.id && c.targetInput === 'audio');
  const upstream = wire ? editor.getNode(wire.source) : undefined;
  if (!wire || !upstream) return null;
  const produced = upstream.runState.media?.find((m) => m.url.endsWith(`/outputs/${encodeURIComponent(wire.sourceOutput)}`));
  if (produced) return { url: produced.url, label: `${upstream.label}: last run` };
  if (upstream.type === 'audio.load') return loadPreview(upstream.params.source, previewUrl);
  return null;
}
