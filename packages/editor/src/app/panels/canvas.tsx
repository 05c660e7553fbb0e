import { useEffect, useRef, useState } from 'react';
import { useActions } from '../app-context.js';
import { EmptyHint } from './empty-hint.js';
import { PALETTE_MIME } from './palette.js';

/** Where the Rete editor draws; takes nodes dragged from the palette and dropped files. */
export function Canvas() {
  const actions = useActions();
  const container = useRef<HTMLDivElement>(null);
  const [dropping, setDropping] = useState(false);
  useEffect(() => actions.attachCanvas(container.current!), [actions]);
  return (
    <div
      className={`canvas${dropping ? ' dropping' : ''}`}
      ref={container}
      data-testid="canvas"
      onDragOver={(e) => {
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={() => setDropping(false)}
      onDoubleClick={(e) => {
        // On empty canvas only: a card's header keeps its own double-click.
        if ((e.target as HTMLElement).closest('[data-testid="sa3-node"], [data-testid="context-menu"], [data-testid="minimap"]')) return;
        actions.openFinder(e.clientX, e.clientY);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDropping(false);
        const type = e.dataTransfer.getData(PALETTE_MIME);
        const file = e.dataTransfer.files[0];
        if (type) void actions.dropNode(type, e.clientX, e.clientY);
        else if (file) void actions.openFile(file);
      }}
    >
      <EmptyHint />
    </div>
  );
}
