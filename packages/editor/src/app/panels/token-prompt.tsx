import { useState } from 'react';
import { useActions, useStore } from '../app-context.js';
import { Modal } from './modal.js';

/** Asks for the server's access token after it answered 401. */
export function TokenPrompt({ refused }: { refused: boolean }) {
  const actions = useActions();
  const store = useStore();
  const [value, setValue] = useState('');
  return (
    <Modal title="Access token" onClose={() => store.dispatch({ type: 'token-prompt-closed' })} testId="token-prompt">
      <form
        className="token-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) actions.submitToken(value.trim());
        }}
      >
        <p data-testid="token-reason">
          This server needs its access token (started with <code>--token</code> or <code>SA3_TOKEN</code>)
          {refused ? '; the one this tab sent was refused.' : '.'}
        </p>
        <div className="token-row">
          <input
            type="password"
            autoFocus
            autoComplete="off"
            placeholder="paste the token"
            aria-label="Access token"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            data-testid="token-input"
          />
          <button className="primary" type="submit" disabled={!value.trim()} data-testid="token-submit">
            Connect
          </button>
        </div>
        <p className="dim">It is kept in this tab only, never in saved workflows.</p>
      </form>
    </Modal>
  );
}
