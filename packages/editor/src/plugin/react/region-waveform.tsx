import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { SourceAudio } from '../source-audio.js';
import { useNodeViewEnv } from './env.js';
import { theme } from './theme.js';
import { usePeaks } from './use-peaks.js';
import { drawPeaks } from './waveform.js';

/** A span in seconds, as the node's params hold it. */
export interface SecondsSpan {
  readonly start: number;
  readonly end: number;
}

interface Props {
  readonly source: SourceAudio;
  /** The spans the node's params select now, drawn over the waveform. */
  readonly spans: readonly SecondsSpan[];
  /** A span dragged on the waveform, in seconds (hundredths); `adding` when Shift was held. */
  readonly onSelect: (span: SecondsSpan, adding: boolean) => void;
}

/** Narrower drags than this many pixels are clicks, not selections. */
const MIN_DRAG_PX = 3;

const seconds = (value: number): number => Math.round(value * 100) / 100;

/** The audio feeding a node, with its selected spans; dragging across it selects a new span. */
export function RegionWaveform({ source, spans, onSelect }: Props) {
  const env = useNodeViewEnv();
  const { peaks, problem } = usePeaks(source.url, env.fetch, 400);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [dragging, setDragging] = useState<SecondsSpan | null>(null);
  useEffect(() => {
    if (peaks && canvas.current) drawPeaks(canvas.current, peaks, '#64748b');
  }, [peaks]);

  const duration = peaks?.duration ?? 0;
  const at = (clientX: number): number => {
    const rect = canvas.current!.getBoundingClientRect();
    return seconds(Math.min(1, Math.max(0, (clientX - rect.left) / rect.width)) * duration);
  };
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>): void => {
    if (!peaks || e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    const surface = e.currentTarget;
    surface.setPointerCapture(e.pointerId);
    const startX = e.clientX;
    const anchor = at(e.clientX);
    const adding = e.shiftKey;
    let span: SecondsSpan = { start: anchor, end: anchor };
    const move = (m: PointerEvent): void => {
      const here = at(m.clientX);
      span = { start: Math.min(anchor, here), end: Math.max(anchor, here) };
      setDragging(span);
    };
    const end = (u: PointerEvent): void => {
      surface.removeEventListener('pointermove', move);
      surface.removeEventListener('pointerup', end);
      surface.removeEventListener('pointercancel', end);
      setDragging(null);
      if (u.type === 'pointerup' && Math.abs(u.clientX - startX) >= MIN_DRAG_PX && span.end > span.start) onSelect(span, adding);
    };
    surface.addEventListener('pointermove', move);
    surface.addEventListener('pointerup', end);
    surface.addEventListener('pointercancel', end);
  };

  const shown = dragging ? [dragging] : spans;
  return (
    <div style={{ padding: '4px 12px 2px' }} data-testid="region-waveform" data-duration={duration ? duration.toFixed(3) : ''}>
      <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 11, color: theme.textDim, marginBottom: 3 }}>
        <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={source.label}>
          {source.label}
        </span>
        <span>{duration ? `${duration.toFixed(2)} s · drag to select` : ''}</span>
      </div>
      <div
        style={{ position: 'relative', height: 44, cursor: peaks ? 'crosshair' : 'default', touchAction: 'none' }}
        onPointerDown={onPointerDown}
        data-testid="region-surface"
      >
        <canvas
          ref={canvas}
          data-drawn={peaks !== null}
          style={{ display: 'block', width: '100%', height: 44, background: theme.field, borderRadius: 5, border: `1px solid ${theme.border}` }}
        />
        {duration > 0 &&
          shown.map((span, i) => (
            <div
              key={i}
              data-testid="region-span"
              style={{
                position: 'absolute',
                top: 0,
                bottom: 0,
                left: `${(Math.min(span.start, duration) / duration) * 100}%`,
                width: `${(Math.max(0, Math.min(span.end, duration) - Math.min(span.start, duration)) / duration) * 100}%`,
                background: 'rgba(124, 156, 255, 0.28)',
                borderLeft: `1px solid ${theme.accent}`,
                borderRight: `1px solid ${theme.accent}`,
                pointerEvents: 'none',
              }}
            />
          ))}
      </div>
      {problem && <div style={{ color: theme.error, fontSize: 11, marginTop: 3 }}>{problem}</div>}
    </div>
  );
}
