export { AppStore } from './app-store.js';
export type { AppAction } from './app-action.js';
export { initialAppState, MAX_BATCH, type ActiveRun, type AppState, type Connection, type Dialog, type NodeFinder, type Toast } from './app-state.js';
