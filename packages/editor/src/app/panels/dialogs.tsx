import { useAppState } from '../app-context.js';
import { Gallery } from './gallery.js';
import { ModelsPanel } from './models-panel.js';
import { HistoryPanel } from './history-panel.js';
import { NodeFinder } from './node-finder.js';
import { QueuePanel } from './queue-panel.js';
import { ReplaceDialog } from './replace-dialog.js';
import { ReportPanel } from './report-panel.js';
import { TokenPrompt } from './token-prompt.js';

/** The open dialog, and the token prompt over it when the server asks for one. */
export function Dialogs() {
  const dialog = useAppState((s) => s.dialog);
  const tokenVersion = useAppState((s) => s.tokenVersion);
  const tokenPrompt = useAppState((s) => s.tokenPrompt);
  return (
    <>
      {dialog === 'gallery' && <Gallery key={tokenVersion} />}
      {dialog === 'models' && <ModelsPanel />}
      {dialog === 'report' && <ReportPanel />}
      {dialog === 'history' && <HistoryPanel key={tokenVersion} />}
      {dialog === 'queue' && <QueuePanel />}
      <ReplaceDialog />
      <NodeFinder />
      {tokenPrompt && <TokenPrompt refused={tokenPrompt === 'refused'} />}
    </>
  );
}
