import { nodeCatalogue, type AnyNodeDefinition, type SocketType } from '@sa3/nodes';

export interface NodeTypeGroup {
  readonly category: string;
  readonly types: readonly AnyNodeDefinition[];
}

/** The catalogue's node types by category, in catalogue order; `keep` filters them. */
export function nodeTypesByCategory(keep: (definition: AnyNodeDefinition) => boolean = () => true): NodeTypeGroup[] {
  const groups = new Map<string, AnyNodeDefinition[]>();
  for (const definition of nodeCatalogue) {
    if (!keep(definition)) continue;
    const group = groups.get(definition.category) ?? [];
    group.push(definition);
    groups.set(definition.category, group);
  }
  return [...groups].map(([category, types]) => ({ category, types }));
}

/** A wire being drawn from a port and let go on empty canvas. */
export interface LooseWire {
  readonly nodeId: string;
  readonly side: 'input' | 'output';
  readonly key: string;
  readonly kind: SocketType;
}

/**
 * The port of a new node of this type that the loose wire would plug into: the first input
 * taking its kind when it was drawn from an output, the first output giving it when drawn from
 * an input; undefined when the type has none.
 */
export function portFor(definition: AnyNodeDefinition, wire: LooseWire): string | undefined {
  const ports = wire.side === 'output' ? definition.inputs : definition.outputs;
  return Object.entries(ports).find(([, port]) => port.type === wire.kind)?.[0];
}

/** Whether a search query matches a node type (title, type name or category, any word order). */
export function matchesQuery(definition: AnyNodeDefinition, query: string): boolean {
  const text = `${definition.title} ${definition.type} ${definition.category}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => text.includes(word));
}
