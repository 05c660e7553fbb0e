import type { HistoryPlugin } from 'rete-history-plugin';
import type { Sa3Node, Sa3Schemes } from '../plugin/index.js';

/** Edits of one param closer together than this are one undo step (typing "200", a scrub, a slider drag). */
const MERGE_MS = 1500;

/** One param edit as the history plugin undoes and redoes it. */
class ParamEdit {
  at = Date.now();

  constructor(
    readonly node: Sa3Node,
    readonly key: string,
    readonly before: unknown,
    public after: unknown,
    private readonly shown: (node: Sa3Node) => void,
  ) {}

  undo(): void {
    this.node.setParam(this.key, this.before);
    this.shown(this.node);
  }

  redo(): void {
    this.node.setParam(this.key, this.after);
    this.shown(this.node);
  }
}

function lastAction(history: HistoryPlugin<Sa3Schemes>): unknown {
  return history.getHistorySnapshot().at(-1)?.action;
}

/**
 * Makes a param edit undoable (Ctrl+Z): the value before it and after it. A further edit of the
 * same param soon after extends the same step instead of adding one per keystroke.
 */
export function recordParamEdit(history: HistoryPlugin<Sa3Schemes>, node: Sa3Node, key: string, before: unknown, shown: (node: Sa3Node) => void): void {
  const last = lastAction(history);
  const after = node.params[key];
  if (last instanceof ParamEdit && last.node === node && last.key === key && Date.now() - last.at < MERGE_MS) {
    last.after = after;
    last.at = Date.now();
    return;
  }
  history.add(new ParamEdit(node, key, before, after, shown));
}
