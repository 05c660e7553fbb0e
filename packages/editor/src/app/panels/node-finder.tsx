import { useLayoutEffect, useRef, useState } from 'react';
import { useActions, useAppState } from '../app-context.js';
import { matchesQuery, nodeTypesByCategory, portFor } from '../node-types.js';
import type { NodeFinder as FinderPlace } from '../store/index.js';

/** Pixels kept between the search box and the window's edges. */
const EDGE = 8;

/**
 * The node search box: opened by a double-click on empty canvas, or by letting a wire go there
 * (then it lists only the types that take the wire). Type to filter; Enter or a click adds the
 * highlighted type where it opened; arrows move the highlight; Escape or a click outside closes.
 */
export function NodeFinder() {
  const finder = useAppState((s) => s.finder);
  // A fresh box (empty query, first item) each time it opens.
  return finder ? <FinderBox key={`${finder.clientX},${finder.clientY}`} finder={finder} /> : null;
}

function FinderBox({ finder }: { finder: FinderPlace }) {
  const actions = useActions();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const box = useRef<HTMLDivElement>(null);

  // Kept inside the window, as the context menu is; the list's height follows the query.
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const { width, height } = element.getBoundingClientRect();
    element.style.left = `${Math.max(EDGE, Math.min(finder.clientX, window.innerWidth - EDGE - width))}px`;
    element.style.top = `${Math.max(EDGE, Math.min(finder.clientY, window.innerHeight - EDGE - height))}px`;
  }, [finder, query]);

  const wire = finder.wire;
  const groups = nodeTypesByCategory((d) => matchesQuery(d, query) && (!wire || portFor(d, wire) !== undefined));
  const types = groups.flatMap((g) => g.types);
  const highlighted = types[Math.min(active, types.length - 1)];

  return (
    <div className="finder-backdrop" onPointerDown={(e) => e.target === e.currentTarget && actions.closeFinder()}>
      <div ref={box} className="finder" role="dialog" aria-label="Add a node" data-testid="node-finder" style={{ left: finder.clientX, top: finder.clientY }}>
        <input
          autoFocus
          placeholder={wire ? `Add a node taking ${wire.kind}…` : 'Add a node…'}
          aria-label="Search node types"
          value={query}
          data-testid="node-finder-input"
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') actions.closeFinder();
            else if (e.key === 'Enter' && highlighted) void actions.addFromFinder(highlighted.type);
            else if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, types.length - 1));
            else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
            else return;
            e.preventDefault();
          }}
        />
        <div className="finder-list">
          {types.length === 0 && (
            <p className="dim" data-testid="node-finder-empty">
              No node type matches “{query}”{wire ? ` and takes ${wire.kind}` : ''}.
            </p>
          )}
          {groups.map((group) => (
            <section key={group.category}>
              <h3>{group.category}</h3>
              {group.types.map((d) => (
                <button
                  key={d.type}
                  className={d === highlighted ? 'finder-item active' : 'finder-item'}
                  data-testid="node-finder-item"
                  data-type={d.type}
                  data-active={d === highlighted}
                  title={d.description}
                  onPointerEnter={() => setActive(types.indexOf(d))}
                  onClick={() => void actions.addFromFinder(d.type)}
                >
                  {d.title}
                  <code>{d.type}</code>
                </button>
              ))}
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}
