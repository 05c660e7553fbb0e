import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { shown } from './control.js';

/** A number typed by the user: kept as text while it is not a number, so the error says so. */
function parseNumber(text: string): unknown {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

export function NumberInput({ value, onCommit, placeholder, step }: { value: unknown; onCommit: (v: unknown) => void; placeholder?: string; step?: number }) {
  const [text, setText] = useState(shown(value));
  const last = useRef(value);
  useEffect(() => {
    if (value !== last.current) {
      last.current = value;
      setText(shown(value));
    }
  }, [value]);
  return (
    <input
      type="number"
      value={text}
      step={step ?? 'any'}
      placeholder={placeholder}
      data-testid="param-input"
      onChange={(e: ChangeEvent<HTMLInputElement>) => {
        setText(e.target.value);
        const parsed = parseNumber(e.target.value);
        last.current = parsed;
        onCommit(parsed);
      }}
    />
  );
}
