import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServedRunReport } from '../src/app/api.js';
import type { RunEvent } from '../src/app/run-events.js';
import { AppStore, initialAppState, type AppAction, type AppState } from '../src/app/store/index.js';

type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;
type EventBody<T extends RunEvent['type']> = Omit<EventOf<T>, 'runId' | 'seq' | 'time' | 'type'>;

let seq = 0;
function event<T extends RunEvent['type']>(type: T, body: EventBody<T>): AppAction {
  const stamped = { runId: 'run-1', seq: ++seq, time: '2025-01-01T00:00:00Z', type, ...body } as unknown as RunEvent;
  return { type: 'run-event', event: stamped };
}

/** A report with what the tests look at; the rest of a real report does not matter here. */
function report(fields: Partial<ServedRunReport>): ServedRunReport {
  return { runId: 'run-1', status: 'succeeded', seeds: {}, nodes: [], outputs: [], cacheHits: 0, ...fields } as unknown as ServedRunReport;
}

function storeWith(state: Partial<AppState> = {}): AppStore {
  return new AppStore({ ...initialAppState, ...state });
}

function play(store: AppStore, ...actions: AppAction[]): AppState {
  for (const action of actions) store.dispatch(action);
  return store.getState();
}

const wav = { type: 'audio', frames: 48_000, seconds: 1, sampleRate: 48_000, channels: 2, peak: 0.5 } as const;

describe('the app store', () => {
  afterEach(() => vi.useRealTimers());

  it('starts a run: the last marks go, then submitting, then running with its id', () => {
    const store = storeWith({ nodeRunStates: new Map([['gen', { status: 'done' }]]) });
    expect(play(store, { type: 'run-requested' }).nodeRunStates.size).toBe(0);
    expect(play(store, { type: 'run-submitted' }).run).toEqual({ id: null, phase: 'submitting', batch: [] });
    expect(play(store, { type: 'run-accepted', id: 'run-1' }).run).toEqual({ id: 'run-1', phase: 'running', batch: ['run-1'] });
    expect(play(store, { type: 'run-cancel-requested' }).run).toEqual({ id: 'run-1', phase: 'cancelling', batch: ['run-1'] });
  });

  it('keeps the batch count within 1..16 and follows a batch run by run', () => {
    const store = storeWith();
    expect([0, 1, 4.4, 16, 17, Number.NaN].map((count) => play(store, { type: 'batch-count-set', count }).batchCount)).toEqual([1, 1, 4, 16, 16, 1]);
    const batch = ['run-1', 'run-2'];
    expect(play(store, { type: 'run-accepted', id: 'run-2', batch }).run).toEqual({ id: 'run-2', phase: 'running', batch });
  });

  it('cannot cancel a run the server has not accepted yet', () => {
    const store = storeWith();
    play(store, { type: 'run-submitted' });
    const listener = vi.fn();
    store.subscribe(listener);
    expect(play(store, { type: 'run-cancel-requested' }).run).toEqual({ id: null, phase: 'submitting', batch: [] });
    expect(listener).not.toHaveBeenCalled();
  });

  it('updates a node from its events: queued, running with progress, done', () => {
    const store = storeWith();
    let state = play(store, event('run-start', { order: ['prompt', 'gen'], seeds: {} }));
    expect(state.nodeRunStates.get('gen')).toEqual({ status: 'queued' });
    state = play(store, event('node-progress', { node: 'gen', step: 3, total: 8, phase: 'sampling' }));
    expect(state.nodeRunStates.get('gen')).toEqual({ status: 'running', step: 3, total: 8, phase: 'sampling' });
    expect(state.nodeRunStates.get('prompt')).toEqual({ status: 'queued' });
    state = play(store, event('node-done', { node: 'gen', nodeType: 'sa3.generate', ms: 120, outputs: { audio: wav } }));
    expect(state.nodeRunStates.get('gen')).toEqual({ status: 'done', ms: 120 });
  });

  it('gives a node of a failed run that finished its player, and the failed node its error', () => {
    const store = storeWith();
    play(
      store,
      { type: 'run-accepted', id: 'run-1' },
      event('run-start', { order: ['gen', 'gain', 'save'], seeds: {} }),
      event('node-done', { node: 'gen', nodeType: 'sa3.generate', ms: 90, outputs: { audio: wav } }),
      event('node-start', { node: 'gain', nodeType: 'audio.gain' }),
      event('node-error', { node: 'gain', nodeType: 'audio.gain', code: 'bad_gain', message: 'gain is too loud', param: 'db' }),
    );
    const failed = report({
      status: 'failed',
      nodes: [{ id: 'gen', type: 'sa3.generate', status: 'done', cacheKey: 'k', outputs: { audio: wav } }],
      error: { code: 'bad_gain', message: 'gain is too loud', node: 'gain', param: 'db', kind: 'run' },
    });
    const state = play(store, event('run-error', { report: failed }));
    expect(state.nodeRunStates.get('gen')).toEqual({
      status: 'done',
      ms: 90,
      media: [{ label: 'audio · wav preview', url: '/api/runs/run-1/nodes/gen/outputs/audio', duration: 1 }],
    });
    expect(state.nodeRunStates.get('gain')).toEqual({ status: 'failed', error: { code: 'bad_gain', message: 'gain is too loud', param: 'db' } });
    expect(state.nodeRunStates.get('save')).toEqual({ status: 'skipped' });
    expect(state.run).toBeNull();
    expect(state.report).toBe(failed);
  });

  it('shows under a player the loudness the run measured', () => {
    const store = storeWith();
    const measured = { ...wav, loudness: { integratedLufs: -13.94, rangeLu: 0.62, truePeakDbtp: -3.41 } };
    play(
      store,
      { type: 'run-accepted', id: 'run-1' },
      event('run-start', { order: ['loud'], seeds: {} }),
      event('node-done', { node: 'loud', nodeType: 'audio.loudness', ms: 800, outputs: { audio: measured } }),
    );
    const done = report({ nodes: [{ id: 'loud', type: 'audio.loudness', status: 'done', cacheKey: 'k', outputs: { audio: measured } }] });
    const state = play(store, event('run-done', { report: done }));
    expect(state.nodeRunStates.get('loud')?.media).toEqual([
      { label: 'audio · wav preview', url: '/api/runs/run-1/nodes/loud/outputs/audio', duration: 1, measured: '-13.9 LUFS · LRA 0.6 LU · -3.4 dBTP' },
    ]);
  });

  it('keeps the last report and the nodes as they are when a run is lost before it starts', () => {
    const last = report({ status: 'succeeded' });
    const players = new Map([['gen', { status: 'done' as const, media: [{ label: 'audio', url: '/a' }] }]]);
    const store = storeWith({ report: last, nodeRunStates: players });
    const state = play(store, { type: 'run-submitted' }, { type: 'run-lost' });
    expect(state.run).toBeNull();
    expect(state.report).toBe(last);
    expect(state.nodeRunStates).toBe(players);
  });

  it('marks the unfinished nodes of a cancelled run as cancelled', () => {
    const store = storeWith();
    play(store, event('run-start', { order: ['gen'], seeds: {} }), event('node-start', { node: 'gen', nodeType: 'sa3.generate' }));
    const state = play(store, event('run-cancelled', { report: report({ status: 'cancelled' }) }));
    expect(state.nodeRunStates.get('gen')).toEqual({ status: 'cancelled' });
  });

  it('takes the name of the workflow opened, or none when it has none', () => {
    const store = storeWith({ name: 'my sketch' });
    expect(play(store, { type: 'workflow-opened', name: 'extend-twice' }).name).toBe('extend-twice');
    expect(play(store, { type: 'workflow-opened', name: undefined }).name).toBe('');
  });

  it('is ready once the autosaved graph is back, and counts nodes when it keeps the graph', () => {
    const store = storeWith();
    expect(play(store, { type: 'graph-restored', nodeCount: 3 })).toMatchObject({ ready: true, nodeCount: 3, autosavedAt: null });
    expect(play(store, { type: 'graph-autosaved', nodeCount: 4, at: '10:00:00' })).toMatchObject({ nodeCount: 4, autosavedAt: '10:00:00' });
  });

  it('asks for the token when the server refuses, and connects again once it is given', () => {
    const store = storeWith();
    let state = play(store, { type: 'models-failed', message: 'unauthorized', needsToken: true }, { type: 'token-refused', hadToken: false });
    expect(state).toMatchObject({ connection: 'needs-token', tokenPrompt: 'missing', modelsError: 'unauthorized' });
    expect(play(store, { type: 'token-refused', hadToken: true }).tokenPrompt).toBe('refused');
    state = play(store, { type: 'token-given' }, { type: 'models-requested' });
    expect(state).toMatchObject({ connection: 'connecting', tokenPrompt: null, tokenVersion: 1 });
    state = play(store, { type: 'models-listed', models: [{ id: 'sa3-test', title: 'Test pack', objective: 'rectified_flow', maxSeconds: 30 }] });
    expect(state).toMatchObject({ connection: 'connected', modelsError: null });
  });

  it('opens and closes one dialog at a time', () => {
    const store = storeWith();
    expect(play(store, { type: 'dialog-opened', dialog: 'gallery' }).dialog).toBe('gallery');
    expect(play(store, { type: 'dialog-opened', dialog: 'report' }).dialog).toBe('report');
    expect(play(store, { type: 'dialog-closed' }).dialog).toBeNull();
  });

  it('shows four toasts at most and lets each go after a while, errors later', () => {
    vi.useFakeTimers();
    const store = storeWith();
    for (const text of ['a', 'b', 'c', 'd']) store.toast('info', text);
    store.toast('error', 'e');
    expect(store.getState().toasts.map((t) => t.text)).toEqual(['b', 'c', 'd', 'e']);
    vi.advanceTimersByTime(5_000);
    expect(store.getState().toasts.map((t) => t.text)).toEqual(['e']);
    vi.advanceTimersByTime(7_000);
    expect(store.getState().toasts).toEqual([]);
  });

  it('tells its listeners about changes until they unsubscribe', () => {
    const store = storeWith();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.dispatch({ type: 'dialog-opened', dialog: 'models' });
    unsubscribe();
    store.dispatch({ type: 'dialog-closed' });
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
