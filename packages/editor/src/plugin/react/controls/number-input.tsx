import { useEffect, useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import { shown } from './control.js';
import { nudged, nudgeSize } from './scrub.js';

/** A number typed by the user: kept as text while it is not a number, so the error says so. */
function parseNumber(text: string): unknown {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

export interface NumberInputProps {
  readonly value: unknown;
  readonly onCommit: (v: unknown) => void;
  readonly placeholder?: string;
  readonly step?: number;
  readonly min?: number;
  readonly max?: number;
}

/** The number field: typed text, or arrow keys by the step (Shift: ten steps, Alt: a tenth of one). */
export function NumberInput({ value, onCommit, placeholder, step, min, max }: NumberInputProps) {
  const [text, setText] = useState(shown(value));
  const last = useRef(value);
  useEffect(() => {
    if (value !== last.current) {
      last.current = value;
      setText(shown(value));
    }
  }, [value]);
  const commit = (next: unknown): void => {
    last.current = next;
    onCommit(next);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if ((e.key !== 'ArrowUp' && e.key !== 'ArrowDown') || step === undefined) return;
    e.preventDefault();
    const current = typeof value === 'number' ? value : Number(placeholder ?? min ?? 0);
    const unit = nudgeSize(step, e);
    const next = nudged(Number.isFinite(current) ? current : 0, e.key === 'ArrowUp' ? unit : -unit, unit, min, max);
    setText(shown(next));
    commit(next);
  };
  return (
    <input
      type="number"
      value={text}
      step="any"
      placeholder={placeholder}
      data-testid="param-input"
      onKeyDown={onKeyDown}
      onChange={(e: ChangeEvent<HTMLInputElement>) => {
        setText(e.target.value);
        commit(parseNumber(e.target.value));
      }}
    />
  );
}
