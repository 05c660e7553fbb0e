import { AppContext, type AppServices } from './app-context.js';
import { AppFrame } from './panels/app-frame.js';

/** The editor app: the store and the actions its components read and call. */
export function App(services: AppServices) {
  return (
    <AppContext value={services}>
      <AppFrame />
    </AppContext>
  );
}
