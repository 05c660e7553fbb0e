import { ClassicPreset, type GetSchemes } from 'rete';
import type { ReactArea2D } from 'rete-react-plugin';
import type { ContextMenuExtra } from 'rete-context-menu-plugin';
import type { MinimapExtra } from 'rete-minimap-plugin';
import type { Sa3Node } from './sa3-node.js';

export class Sa3Connection extends ClassicPreset.Connection<Sa3Node, Sa3Node> {
  isPseudo?: boolean;
}

export type Sa3Schemes = GetSchemes<Sa3Node, Sa3Connection>;
export type Sa3AreaExtra = ReactArea2D<Sa3Schemes> | ContextMenuExtra | MinimapExtra;
