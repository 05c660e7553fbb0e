import type { AppAction } from './app-action.js';
import { appReducer } from './app-reducer.js';
import { initialAppState, type AppState, type Toast } from './app-state.js';

const TOAST_MS = { info: 5_000, error: 12_000 } as const;

/** The app's state and its one way of changing (dispatch); React reads it with useSyncExternalStore. */
export class AppStore {
  private state: AppState;
  private readonly listeners = new Set<() => void>();
  private toastIds = 0;

  constructor(initial: AppState = initialAppState) {
    this.state = initial;
  }

  readonly getState = (): AppState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispatch(action: AppAction): void {
    const next = appReducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }

  /** Shows a message for a few seconds (errors longer); a click dismisses it sooner. */
  toast(kind: Toast['kind'], text: string): void {
    const id = ++this.toastIds;
    this.dispatch({ type: 'toast-shown', toast: { id, kind, text } });
    setTimeout(() => this.dispatch({ type: 'toast-dismissed', id }), TOAST_MS[kind]);
  }
}
