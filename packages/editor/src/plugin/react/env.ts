import { createContext, useContext } from 'react';
import type { NodeEditor } from 'rete';
import type { LoraEntry } from '@sa3/nodes';
import type { Sa3Node } from '../sa3-node.js';
import type { PackLimit } from '../pack-limit.js';
import type { Sa3Schemes } from '../schemes.js';

/** What node views need from their host, shared across the separate React roots Rete renders. */
export interface NodeViewEnv {
  readonly editor: NodeEditor<Sa3Schemes>;
  /** POST target for audio uploads; answers { id }. */
  readonly uploadUrl: string;
  /** GET target that answers the audio a source (path, URL, upload id) holds, as WAV: `${audioPreviewUrl}?source=...`. */
  readonly audioPreviewUrl: string;
  readonly fetch: typeof fetch;
  /** Model pack ids to offer besides "auto". */
  models(): readonly string[];
  /** Installed packs with their limits, for ranges that follow a node's selected pack. */
  packs(): readonly PackLimit[];
  /** The LoRA files installed on the server. */
  loras(): readonly LoraEntry[];
  /** A param was edited in a node view; `edit.previous` is its value before (absent: it was not set). */
  paramChanged(node: Sa3Node, key: string, edit?: { readonly previous: unknown }): void;
  /** The node's card was measured at a new size (layout pixels, before the area's zoom). */
  nodeSized(node: Sa3Node, width: number, height: number): void;
}

export const NodeViewEnvContext = createContext<NodeViewEnv | null>(null);

export function useNodeViewEnv(): NodeViewEnv {
  const env = useContext(NodeViewEnvContext);
  if (!env) throw new Error('node views must be rendered through createSa3Plugin');
  return env;
}
