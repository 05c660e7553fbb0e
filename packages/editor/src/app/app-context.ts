import { createContext, use, useSyncExternalStore } from 'react';
import type { AppActions } from './actions/index.js';
import type { AppState, AppStore } from './store/index.js';

export interface AppServices {
  readonly store: AppStore;
  readonly actions: AppActions;
}

export const AppContext = createContext<AppServices | null>(null);

function useServices(): AppServices {
  const services = use(AppContext);
  if (!services) throw new Error('the app components are used outside <App>');
  return services;
}

/** A piece of the app's state; the component renders again when it changes. Select values, not new objects. */
export function useAppState<T>(select: (state: AppState) => T): T {
  const { store } = useServices();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}

export function useStore(): AppStore {
  return useServices().store;
}

export function useActions(): AppActions {
  return useServices().actions;
}
