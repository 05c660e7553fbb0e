import { useAppState, useStore } from '../app-context.js';

/** Messages in the corner; a click dismisses one. */
export function Toasts() {
  const store = useStore();
  const toasts = useAppState((s) => s.toasts);
  return (
    <div className="toasts">
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`toast ${t.kind}`}
          data-testid="toast"
          data-kind={t.kind}
          onClick={() => store.dispatch({ type: 'toast-dismissed', id: t.id })}
        >
          {t.text}
        </div>
      ))}
    </div>
  );
}
