import type { HistoryPlugin } from 'rete-history-plugin';
import type { Sa3Schemes } from '../plugin/index.js';

interface Record {
  time: number;
  separated?: boolean;
}

function records(history: HistoryPlugin<Sa3Schemes>): Record[] {
  return (history as unknown as { history: { produced: Record[] } }).history.produced;
}

/**
 * Runs a compound edit (paste, delete of a selection) so that one undo takes all of it back:
 * the history plugin merges actions whose times are close, so they get one time stamp.
 */
export async function asOneStep(history: HistoryPlugin<Sa3Schemes>, edit: () => Promise<void>): Promise<void> {
  history.separate();
  const start = records(history).length;
  await edit();
  const added = records(history).slice(start);
  const time = added[0]?.time;
  if (time !== undefined) for (const record of added) record.time = time;
  history.separate();
}

/**
 * Runs moves the user did not make (cards making room for a card that grew): they leave no
 * step in the undo history, so Ctrl+Z takes back the user's last edit, not the layout's.
 */
export async function unrecorded(history: HistoryPlugin<Sa3Schemes>, edit: () => Promise<void>): Promise<void> {
  const start = records(history).length;
  await edit();
  records(history).splice(start);
}
