export interface ShortcutActions {
  deleteSelection(): void;
  undo(): void;
  redo(): void;
  copy(): void;
  paste(): void;
  save(): void;
  run(): void;
  open(): void;
  selectAll(): void;
}

function typingInto(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

/** The keys people expect in an editor; text fields keep their own (Ctrl+Z in a prompt edits text). */
export function bindShortcuts(actions: ShortcutActions): () => void {
  const onKey = (e: KeyboardEvent): void => {
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (mod && key === 'enter') return void (e.preventDefault(), actions.run());
    if (mod && key === 's') return void (e.preventDefault(), actions.save());
    if (mod && key === 'o') return void (e.preventDefault(), actions.open());
    if (typingInto(e.target)) return;
    if (key === 'delete' || key === 'backspace') return void (e.preventDefault(), actions.deleteSelection());
    if (mod && key === 'z' && !e.shiftKey) return void (e.preventDefault(), actions.undo());
    if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) return void (e.preventDefault(), actions.redo());
    if (mod && key === 'c') return void (e.preventDefault(), actions.copy());
    if (mod && key === 'v') return void (e.preventDefault(), actions.paste());
    // All the nodes, not the page's text.
    if (mod && key === 'a') return void (e.preventDefault(), actions.selectAll());
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
