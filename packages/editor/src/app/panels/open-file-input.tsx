import { useEffect, useRef } from 'react';
import { useActions } from '../app-context.js';

/** The hidden file input behind Open and Ctrl+O. */
export function OpenFileInput() {
  const actions = useActions();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => actions.setFilePicker(() => input.current?.click()), [actions]);
  return (
    <input
      ref={input}
      type="file"
      accept=".json,application/json,audio/*,.wav,.mp3,.flac,.ogg"
      hidden
      data-testid="open-input"
      onChange={(e) => {
        const file = e.target.files?.[0];
        e.target.value = '';
        if (file) void actions.openFile(file);
      }}
    />
  );
}
