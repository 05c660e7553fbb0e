import { useEffect, useRef } from 'react';
import type { SourceAudio } from '../source-audio.js';
import { useNodeViewEnv } from './env.js';
import { theme } from './theme.js';
import { usePeaks } from './use-peaks.js';
import { drawPeaks } from './waveform.js';

/** A Load audio node's file as soon as it is chosen: its waveform and length, before any run. */
export function SourcePreview({ source }: { source: SourceAudio }) {
  const env = useNodeViewEnv();
  const { peaks, problem } = usePeaks(source.url, env.fetch);
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (peaks && canvas.current) drawPeaks(canvas.current, peaks, '#34d399');
  }, [peaks]);
  return (
    <div style={{ padding: '2px 12px 6px' }} data-testid="source-preview">
      <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 11, color: theme.textDim, marginBottom: 3, gap: 8 }}>
        <span data-testid="source-name" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={source.label}>
          {source.label}
        </span>
        <span data-testid="source-duration">{peaks ? `${peaks.duration.toFixed(2)} s` : ''}</span>
      </div>
      <canvas
        ref={canvas}
        data-testid="source-waveform"
        data-drawn={peaks !== null}
        style={{ display: 'block', width: '100%', height: 36, background: theme.field, borderRadius: 5, border: `1px solid ${theme.border}` }}
      />
      {problem && <div style={{ color: theme.error, fontSize: 11, marginTop: 3 }}>{problem}</div>}
    </div>
  );
}
