import { nodeCatalogue, socketTypes, type NodeCategory } from '@sa3/nodes';
import { useActions } from '../app-context.js';

const categories: NodeCategory[] = ['Stable Audio 3', 'Audio I/O', 'Audio utilities'];

export const PALETTE_MIME = 'application/x-sa3-node-type';

/** Node types by category: click to add at the centre of the view, or drag onto the canvas. */
export function Palette() {
  const actions = useActions();
  return (
    <aside className="palette" data-testid="palette">
      {categories.map((category) => (
        <section key={category}>
          <h3>{category}</h3>
          {nodeCatalogue
            .filter((d) => d.category === category)
            .map((d) => (
              <button
                key={d.type}
                className="palette-item"
                data-testid="palette-item"
                data-type={d.type}
                title={d.description}
                draggable
                onDragStart={(e) => e.dataTransfer.setData(PALETTE_MIME, d.type)}
                onClick={() => void actions.addNode(d.type)}
              >
                <span className="name">{d.title}</span>
                <span className="sockets">
                  {Object.values(d.outputs).map((o, i) => (
                    <i key={i} style={{ background: socketTypes[o.type].color }} title={`outputs ${socketTypes[o.type].label}`} />
                  ))}
                </span>
              </button>
            ))}
        </section>
      ))}
      <section className="legend">
        <h3>Wires</h3>
        {Object.entries(socketTypes).map(([key, s]) => (
          <div key={key} title={s.description}>
            <i style={{ background: s.color }} /> {s.label}
          </div>
        ))}
      </section>
    </aside>
  );
}
