import { Presets } from 'rete-react-plugin';
import { socketColor } from '../sockets.js';
import type { Sa3Connection } from '../schemes.js';
import { useNodeViewEnv } from './env.js';

export function ConnectionView({ data }: { data: Sa3Connection }) {
  const { path } = Presets.classic.useConnection();
  const env = useNodeViewEnv();
  if (!path) return null;
  const kind = env.editor.getNode(data.source)?.socketKind('output', data.sourceOutput);
  const color = kind ? socketColor(kind) : '#98a1b3';
  return (
    <svg
      style={{ overflow: 'visible', position: 'absolute', pointerEvents: 'none', width: 9999, height: 9999 }}
      data-testid="connection"
      data-pseudo={data.isPseudo ? 'true' : undefined}
      data-from={`${data.source}.${data.sourceOutput}`}
      data-to={`${data.target}.${data.targetInput}`}
    >
      <path d={path} fill="none" stroke={color} strokeWidth={3} strokeOpacity={data.isPseudo ? 0.6 : 0.9} style={{ pointerEvents: 'auto' }} />
    </svg>
  );
}
