import { useCallback, useEffect, useRef, useState } from 'react';
import { useActions, useStore } from '../app-context.js';
import { historyApi, type Take, type TakeOutput } from '../history-api.js';
import { downloadBlob } from '../open-file.js';
import { Modal } from './modal.js';
import { gainText, matchedVolumes } from '../matched-volume.js';

/** One output of one take: what A/B compare plays. */
interface Pick {
  readonly take: Take;
  readonly output: TakeOutput;
}

function seedsText(take: Take): string {
  return Object.entries(take.seeds)
    .flatMap(([node, params]) => Object.entries(params).map(([param, seed]) => `${node}.${param} ${seed}`))
    .join(', ');
}

function PeaksCanvas({ peaks }: { peaks: readonly (readonly [number, number])[] | null }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const g = c?.getContext('2d');
    if (!c || !g || !peaks) return;
    c.width = c.clientWidth * (window.devicePixelRatio || 1);
    c.height = c.clientHeight * (window.devicePixelRatio || 1);
    g.fillStyle = '#38bdf8';
    const loudest = Math.max(0.02, ...peaks.map(([lo, hi]) => Math.max(Math.abs(lo), Math.abs(hi))));
    const mid = c.height / 2;
    const bar = c.width / peaks.length;
    peaks.forEach(([lo, hi], i) => {
      const top = mid - (hi / loudest) * mid * 0.95;
      const bottom = mid - (lo / loudest) * mid * 0.95;
      g.fillRect(i * bar, top, Math.max(1, bar - 0.5), Math.max(1, bottom - top));
    });
  }, [peaks]);
  return (
    <canvas
      ref={canvas}
      data-testid="take-waveform"
      data-drawn={peaks !== null}
      style={{ width: 180, height: 32, background: 'var(--bg)', borderRadius: 4, border: '1px solid var(--border)', flex: 'none' }}
    />
  );
}

/** The RMS level of an audio file in dB, decoded in the browser: what A/B playback matches. */
async function rmsDb(blob: Blob): Promise<number> {
  const context = new OfflineAudioContext(1, 1, 44_100);
  const buffer = await context.decodeAudioData(await blob.arrayBuffer());
  let sum = 0;
  let count = 0;
  for (let ch = 0; ch < buffer.numberOfChannels; ch++) {
    const data = buffer.getChannelData(ch);
    for (let i = 0; i < data.length; i++) sum += data[i]! * data[i]!;
    count += data.length;
  }
  return 10 * Math.log10(Math.max(sum / Math.max(1, count), 1e-12));
}

interface Loaded {
  readonly src: string;
  readonly level: number;
}

/**
 * Two takes played in turn at the same loudness: the louder is turned down by the difference
 * (integrated LUFS when both were measured, else RMS), so the louder one does not win by level.
 */
function Compare({ a, b }: { a: Pick; b: Pick }) {
  const [loaded, setLoaded] = useState<[Loaded, Loaded] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [playing, setPlaying] = useState<'A' | 'B' | null>(null);
  const audio = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    let live = true;
    const urls: string[] = [];
    // Levels must be of one kind: LUFS when both were measured, else RMS of both.
    const bothMeasured = a.output.loudness !== undefined && b.output.loudness !== undefined;
    const load = async (pick: Pick): Promise<Loaded> => {
      const blob = await historyApi.blob(pick.output.url);
      const src = URL.createObjectURL(blob);
      urls.push(src);
      return { src, level: bothMeasured ? pick.output.loudness!.integratedLufs : await rmsDb(blob) };
    };
    Promise.all([load(a), load(b)]).then(
      (both) => live && setLoaded(both),
      (error: Error) => live && setProblem(`the takes could not be loaded for comparing: ${error.message}`),
    );
    return () => {
      live = false;
      for (const url of urls) URL.revokeObjectURL(url);
    };
  }, [a, b]);
  const volumes: [number, number] = loaded ? matchedVolumes(loaded[0].level, loaded[1].level) : [1, 1];
  const volumeOf = (side: 0 | 1): number => volumes[side];
  const play = (side: 'A' | 'B'): void => {
    const element = audio.current;
    if (!element || !loaded) return;
    const at = element.currentTime;
    element.src = loaded[side === 'A' ? 0 : 1].src;
    element.volume = volumeOf(side === 'A' ? 0 : 1);
    element.currentTime = at;
    void element.play().catch(() => undefined);
    setPlaying(side);
  };
  return (
    <div data-testid="compare" style={{ border: '1px solid var(--border)', borderRadius: 8, padding: 10, marginBottom: 12 }}>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <strong>A/B</strong>
        <button onClick={() => play('A')} disabled={!loaded} data-testid="compare-a" className={playing === 'A' ? 'primary' : ''}>
          A
        </button>
        <button onClick={() => play('B')} disabled={!loaded} data-testid="compare-b" className={playing === 'B' ? 'primary' : ''}>
          B
        </button>
        <span className="dim" data-testid="compare-gains">
          {loaded ? `A at ${gainText(volumeOf(0))}, B at ${gainText(volumeOf(1))}, so both play at the same loudness` : 'loading…'}
        </span>
      </div>
      <audio
        ref={audio}
        controls
        style={{ width: '100%', height: 30, marginTop: 6 }}
        data-testid="compare-audio"
        data-volume={playing ? volumeOf(playing === 'A' ? 0 : 1).toFixed(4) : ''}
      />
      {problem && <p className="problem">{problem}</p>}
    </div>
  );
}

function TakeRow({
  take,
  picked,
  onPick,
  onChanged,
  onRemoved,
}: {
  take: Take;
  picked: 'A' | 'B' | null;
  onPick: (pick: Pick) => void;
  onChanged: (take: Take) => void;
  onRemoved: (id: string) => void;
}) {
  const actions = useActions();
  const store = useStore();
  const [src, setSrc] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const output = take.outputs.find((o) => o.peaks !== null && !o.problem) ?? take.outputs[0];
  useEffect(() => () => void (src && URL.revokeObjectURL(src)), [src]);
  const failed = (error: Error): void => setProblem(error.message);
  const when = new Date(take.createdAt).toLocaleString();
  return (
    <tr data-testid="take-row" data-id={take.id} data-pinned={take.pinned}>
      <td>
        {output ? <PeaksCanvas peaks={output.peaks} /> : null}
        {src && <audio controls autoPlay src={src} data-testid="take-audio" style={{ width: 180, height: 28, display: 'block', marginTop: 4 }} />}
      </td>
      <td style={{ maxWidth: 260 }}>
        <div data-testid="take-prompt">{take.prompts[0] ?? take.workflowName ?? ''}</div>
        <div className="dim" style={{ fontSize: 11 }}>
          <span data-testid="take-seeds">{seedsText(take)}</span>
          {output?.durationSeconds != null && <span data-testid="take-duration"> · {output.durationSeconds.toFixed(2)} s</span>}
          {seedsText(take) !== '' || output?.durationSeconds != null ? ' · ' : ''}
          <span data-testid="take-time">{when}</span>
          {take.status !== 'succeeded' && <span> · {take.status}</span>}
        </div>
        {[take.problem, take.error, ...take.outputs.map((o) => o.problem)]
          .filter((p): p is string => typeof p === 'string')
          .map((p, i) => (
            <div className="problem" key={i} data-testid="take-problem" style={{ fontSize: 11 }}>
              {p}
            </div>
          ))}
        {problem && (
          <div className="problem" data-testid="take-problem" style={{ fontSize: 11 }}>
            {problem}
          </div>
        )}
      </td>
      <td>
        <div style={{ display: 'flex', gap: 4, flexWrap: 'wrap', maxWidth: 300 }}>
          {output && !output.problem && (
            <>
              <button data-testid="take-play" onClick={() => void historyApi.blob(output.url).then((blob) => setSrc(URL.createObjectURL(blob)), failed)}>
                Play
              </button>
              <button
                data-testid="take-download"
                title={`Download as ${output.fileName}`}
                onClick={() => void historyApi.blob(output.url).then((blob) => downloadBlob(blob, output.fileName), failed)}
              >
                Download
              </button>
              <button
                data-testid="take-pick"
                title="Compare this take with another (A/B)"
                className={picked ? 'primary' : ''}
                onClick={() => onPick({ take, output })}
              >
                {picked ?? 'A/B'}
              </button>
            </>
          )}
          <button data-testid="take-pin" onClick={() => void historyApi.pin(take.id, !take.pinned).then(onChanged, failed)}>
            {take.pinned ? 'Unpin' : 'Pin'}
          </button>
          <button
            data-testid="take-open"
            title="Replace the graph with the workflow this take ran"
            onClick={() =>
              void historyApi.detail(take.id).then((detail) => {
                if (detail.workflow === null) throw new Error('this take has no workflow stored');
                store.dispatch({ type: 'dialog-closed' });
                return actions.openText(JSON.stringify(detail.workflow), `the take of ${when}`);
              }, failed)
            }
          >
            Open workflow
          </button>
          <button data-testid="take-use-seed" title="Put this take's seeds into the nodes of the graph" onClick={() => actions.applySeeds(take.seeds)}>
            Use seed
          </button>
          <button data-testid="take-delete" onClick={() => void historyApi.remove(take.id).then(() => onRemoved(take.id), failed)}>
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}

/** Every stored run, newest first: listen, download under its name, pin, delete, reopen, reuse its seed, compare two. */
export function HistoryPanel() {
  const store = useStore();
  const [takes, setTakes] = useState<Take[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const [storeProblem, setStoreProblem] = useState<string | null>(null);
  const [picks, setPicks] = useState<Pick[]>([]);
  const more = useCallback((after?: string) => {
    historyApi.page(after).then(
      (page) => {
        setTakes((held) => [...(after ? (held ?? []) : []), ...page.takes]);
        setCursor(page.nextCursor);
        setStoreProblem(page.problem ?? null);
      },
      (error: Error) => setProblem(`The server could not list its history: ${error.message}`),
    );
  }, []);
  useEffect(() => more(), [more]);
  const pick = (next: Pick): void =>
    setPicks((held) => {
      const without = held.filter((p) => p.take.id !== next.take.id);
      return without.length < held.length ? without : [...held.slice(-1), next];
    });
  return (
    <Modal title="History" onClose={() => store.dispatch({ type: 'dialog-closed' })} testId="history-panel">
      {problem && <p className="problem">{problem}</p>}
      {storeProblem && (
        <p className="problem" data-testid="history-store-problem">
          {storeProblem}
        </p>
      )}
      {picks.length === 2 && <Compare a={picks[0]!} b={picks[1]!} />}
      {takes && takes.length === 0 && <p className="dim">No takes yet: every run is kept here once it ends.</p>}
      {takes && takes.length > 0 && (
        <table className="table">
          <tbody>
            {takes.map((take) => {
              const index = picks.findIndex((p) => p.take.id === take.id);
              return (
                <TakeRow
                  key={take.id}
                  take={take}
                  picked={index < 0 ? null : index === 0 ? 'A' : 'B'}
                  onPick={pick}
                  onChanged={(changed) => setTakes((held) => (held ?? []).map((t) => (t.id === changed.id ? changed : t)))}
                  onRemoved={(id) => {
                    setTakes((held) => (held ?? []).filter((t) => t.id !== id));
                    setPicks((held) => held.filter((p) => p.take.id !== id));
                  }}
                />
              );
            })}
          </tbody>
        </table>
      )}
      {cursor && (
        <button onClick={() => more(cursor)} data-testid="history-more">
          More
        </button>
      )}
    </Modal>
  );
}
