import { useEffect, useRef } from 'react';
import type { RenderEmit } from 'rete-react-plugin';
import type { Sa3Schemes } from '../schemes.js';
import type { Sa3Socket } from '../sockets.js';
import { SocketView } from './socket-view.js';

type Side = 'input' | 'output';

/**
 * A socket drawn inside its node's React tree. Rete's RefSocket asks the render plugin to mount
 * each socket as a React root of its own, and every root costs a set of event listeners and a
 * synchronous render: on a large workflow, sockets were half of all roots. The signals stay the
 * same (marked as already filled), so socket positions and wire dragging work as before.
 */
export function InlineSocket(props: { name: string; side: Side; socketKey: string; nodeId: string; payload: Sa3Socket; emit: RenderEmit<Sa3Schemes> }) {
  const { name, side, socketKey, nodeId, payload, emit } = props;
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const element = ref.current;
    return () => {
      if (element) emit({ type: 'unmount', data: { element } });
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // On every render, as RefSocket does: the node may have moved the socket (a progress bar).
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const data = { type: 'socket' as const, side, key: socketKey, nodeId, element, payload };
    emit({ type: 'render', data: { ...data, filled: true } });
    (emit as (signal: { type: 'rendered'; data: typeof data }) => void)({ type: 'rendered', data });
  });
  return (
    <span className={name} ref={ref} data-testid="socket">
      <span>
        <SocketView data={payload} />
      </span>
    </span>
  );
}
