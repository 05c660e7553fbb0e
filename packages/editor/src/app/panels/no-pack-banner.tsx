import { useAppState, useStore } from '../app-context.js';

/** Said as soon as the page knows the server has no model pack, rather than on the first Run. */
export function NoPackBanner() {
  const store = useStore();
  const none = useAppState((s) => s.models !== null && s.models.length === 0);
  if (!none) return null;
  return (
    <div
      role="status"
      data-testid="no-pack-banner"
      style={{
        position: 'absolute',
        top: 56,
        left: '50%',
        transform: 'translateX(-50%)',
        zIndex: 30,
        display: 'flex',
        gap: 12,
        alignItems: 'center',
        maxWidth: 'min(900px, 92vw)',
        padding: '8px 14px',
        borderRadius: 8,
        background: 'var(--panel-raised)',
        border: '1px solid var(--border)',
        borderLeft: '3px solid var(--error)',
        boxShadow: '0 8px 24px rgba(0, 0, 0, 0.5)',
      }}
    >
      <span>
        No model pack is installed on the server, so nodes that generate cannot run. Get one with <code>sa3 models pull small-music</code> on the server, or
        pull one here.
      </span>
      <button onClick={() => store.dispatch({ type: 'dialog-opened', dialog: 'models' })} data-testid="banner-open-models">
        Models…
      </button>
    </div>
  );
}
