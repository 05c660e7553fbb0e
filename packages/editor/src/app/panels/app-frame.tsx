import { useAppState } from '../app-context.js';
import { Canvas } from './canvas.js';
import { Dialogs } from './dialogs.js';
import { NoPackBanner } from './no-pack-banner.js';
import { OpenFileInput } from './open-file-input.js';
import { Palette } from './palette.js';
import { StatusBar } from './status-bar.js';
import { Toasts } from './toasts.js';
import { Toolbar } from './toolbar.js';

/** The page: toolbar, palette and canvas, status bar, and whatever dialog is open. */
export function AppFrame() {
  const ready = useAppState((s) => s.ready);
  const connection = useAppState((s) => s.connection);
  return (
    <div className="app" data-ready={ready} data-connection={connection}>
      <Toolbar />
      <main className="workspace">
        <Palette />
        <Canvas />
      </main>
      <NoPackBanner />
      <StatusBar />
      <OpenFileInput />
      <Dialogs />
      <Toasts />
    </div>
  );
}
