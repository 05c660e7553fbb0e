import { useEffect, useRef, useState } from 'react';
import styled from 'styled-components';
import type { NodeMedia } from '../run-state.js';
import { useNodeViewEnv } from './env.js';
import { useFetchedAudio } from './use-fetched-audio.js';
import { drawPeaks, loadPeaks } from './waveform.js';
import { theme } from './theme.js';

const Player = styled.div`
  padding: 6px 12px 8px;
  .caption {
    display: flex;
    justify-content: space-between;
    font-size: 11px;
    color: ${theme.textDim};
    margin-bottom: 3px;
  }
  canvas {
    display: block;
    width: 100%;
    height: 44px;
    background: ${theme.field};
    border-radius: 5px;
    border: 1px solid ${theme.border};
  }
  audio {
    width: 100%;
    height: 30px;
    margin-top: 4px;
  }
  .problem {
    color: ${theme.error};
    font-size: 11px;
  }
  .measured {
    font-size: 11px;
    color: ${theme.text};
    margin-top: 3px;
    font-variant-numeric: tabular-nums;
  }
`;

export function AudioPlayer({ media }: { media: NodeMedia }) {
  const env = useNodeViewEnv();
  const audio = useFetchedAudio(media.url, env.fetch);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [duration, setDuration] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (!audio.blob) return;
    let live = true;
    loadPeaks(media.url, audio.blob, 256).then(
      (peaks) => {
        if (!live || !canvas.current) return;
        drawPeaks(canvas.current, peaks, '#38bdf8');
        setDuration(peaks.duration);
      },
      (error: Error) => live && setProblem(`the audio could not be decoded: ${error.message}`),
    );
    return () => {
      live = false;
    };
  }, [media.url, audio.blob]);
  const shown = audio.problem ?? problem;
  return (
    <Player data-testid="node-media" onPointerDown={(e) => e.stopPropagation()}>
      <div className="caption">
        <span>{media.label}</span>
        <span data-testid="media-duration">{duration !== null ? `${duration.toFixed(2)} s` : ''}</span>
      </div>
      <canvas ref={canvas} data-testid="waveform" data-drawn={duration !== null} />
      {media.measured && (
        <div className="measured" data-testid="media-measured">
          {media.measured}
        </div>
      )}
      {audio.src && <audio controls preload="metadata" src={audio.src} data-testid="node-audio" />}
      {shown && <div className="problem">{shown}</div>}
    </Player>
  );
}
