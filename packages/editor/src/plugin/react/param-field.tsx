import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import styled from 'styled-components';
import { SEED_MAX, paramDefault, type ParamSpec } from '@sa3/nodes';
import type { Sa3Node } from '../sa3-node.js';
import { useNodeViewEnv } from './env.js';
import { theme } from './theme.js';

const Field = styled.label<{ $invalid: boolean }>`
  display: block;
  padding: 6px 12px 4px;
  .label {
    display: flex;
    justify-content: space-between;
    font-size: 11px;
    letter-spacing: 0.02em;
    color: ${(p) => (p.$invalid ? theme.error : theme.textDim)};
    margin-bottom: 3px;
  }
  .unit {
    color: ${theme.textFaint};
    font-size: 11px;
  }
  .row {
    display: flex;
    gap: 6px;
    align-items: center;
  }
  input[type='text'],
  input[type='number'],
  select,
  textarea {
    width: 100%;
    box-sizing: border-box;
    background: ${theme.field};
    color: ${theme.text};
    border: 1px solid ${(p) => (p.$invalid ? theme.error : theme.border)};
    border-radius: 5px;
    padding: 5px 7px;
    font: 12px ${theme.font};
    outline: none;
    &:focus {
      border-color: ${(p) => (p.$invalid ? theme.error : theme.accent)};
    }
  }
  input[type='number'] {
    font-family: ${theme.mono};
    width: 84px;
    flex: none;
  }
  textarea {
    resize: vertical;
    min-height: 52px;
    line-height: 1.4;
  }
  input[type='range'] {
    flex: 1;
    min-width: 0;
    accent-color: ${theme.accent};
  }
  button {
    flex: none;
    background: ${theme.cardRaised};
    color: ${theme.text};
    border: 1px solid ${theme.border};
    border-radius: 5px;
    padding: 4px 8px;
    font: 12px ${theme.font};
    cursor: pointer;
    &:hover {
      border-color: ${theme.accent};
    }
  }
  .problem {
    color: ${theme.error};
    font-size: 11px;
    margin-top: 3px;
    line-height: 1.35;
  }
`;

interface Props {
  readonly node: Sa3Node;
  readonly name: string;
  readonly spec: ParamSpec;
  readonly problem?: string;
  readonly onChange: () => void;
}

function shown(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** A number typed by the user: kept as text while it is not a number, so the error says so. */
function parseNumber(text: string): unknown {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

function NumberInput({ value, onCommit, placeholder, step }: { value: unknown; onCommit: (v: unknown) => void; placeholder?: string; step?: number }) {
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

export function ParamField({ node, name, spec, problem, onChange }: Props) {
  const env = useNodeViewEnv();
  const [uploading, setUploading] = useState<string | null>(null);
  const value = node.params[name];
  const fallback = paramDefault(spec);
  const current = value ?? fallback;
  const set = (next: unknown): void => {
    node.setParam(name, next);
    env.paramChanged(node, name);
    onChange();
  };
  const unit = 'unit' in spec && spec.unit ? <span className="unit">{spec.unit}</span> : null;

  let control;
  switch (spec.kind) {
    case 'number': {
      const slider = spec.min !== undefined && spec.max !== undefined;
      const numeric = typeof current === 'number' ? current : Number(fallback ?? spec.min ?? 0);
      control = (
        <div className="row">
          {slider && (
            <input
              type="range"
              min={spec.min}
              max={spec.max}
              step={spec.step ?? (spec.integer ? 1 : (spec.max! - spec.min!) / 100)}
              value={Math.min(spec.max!, Math.max(spec.min!, numeric))}
              data-testid="param-slider"
              onChange={(e) => set(Number(e.target.value))}
            />
          )}
          <NumberInput
            value={current}
            onCommit={set}
            placeholder={fallback === undefined ? 'auto' : shown(fallback)}
            {...(spec.step !== undefined ? { step: spec.step } : {})}
          />
        </div>
      );
      break;
    }
    case 'seed':
      control = (
        <div className="row">
          <NumberInput value={current} onCommit={set} step={1} />
          <span className="unit" style={{ flex: 1 }}>
            {current === -1 ? 'random each run' : ''}
          </span>
          <button type="button" title="Roll a new seed" data-testid="seed-dice" onClick={() => set(Math.floor(Math.random() * SEED_MAX))}>
            ⚄
          </button>
          <button type="button" title="A new random seed on every run (-1)" onClick={() => set(-1)}>
            -1
          </button>
        </div>
      );
      break;
    case 'enum':
      control = (
        <select
          data-testid="param-select"
          value={shown(current)}
          onChange={(e) => set(typeof spec.options[0] === 'number' ? Number(e.target.value) : e.target.value)}
        >
          {(spec.options as readonly (string | number)[]).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
      break;
    case 'boolean':
      control = <input type="checkbox" checked={current === true} onChange={(e) => set(e.target.checked)} />;
      break;
    case 'model': {
      const options = ['auto', ...env.models().filter((m) => m !== 'auto')];
      if (typeof current === 'string' && !options.includes(current)) options.push(current);
      control = (
        <select data-testid="param-select" value={shown(current)} onChange={(e) => set(e.target.value)}>
          {options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
      break;
    }
    case 'audioSource':
      control = (
        <div className="row">
          <input
            type="text"
            data-testid="param-input"
            value={shown(current)}
            placeholder="path, URL or upload"
            onChange={(e) => set(e.target.value === '' ? undefined : e.target.value)}
          />
          <button
            type="button"
            title="Upload an audio file"
            onClick={() => document.getElementById(`upload-${node.id}-${name}`)?.click()}
            disabled={uploading !== null}
          >
            {uploading ? '…' : 'Upload'}
          </button>
          <input
            id={`upload-${node.id}-${name}`}
            type="file"
            accept="audio/*"
            hidden
            data-testid="param-upload"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setUploading(file.name);
              try {
                const response = await env.fetch(`${env.uploadUrl}?name=${encodeURIComponent(file.name)}`, {
                  method: 'POST',
                  body: file,
                  headers: { 'content-type': file.type || 'application/octet-stream' },
                });
                const body = (await response.json()) as { id?: string; detail?: string };
                if (!response.ok || !body.id) throw new Error(body.detail ?? `upload failed (${response.status})`);
                set(body.id);
              } catch (error) {
                node.serverProblems = [
                  ...node.serverProblems,
                  { code: 'upload_failed', message: `the upload of ${file.name} failed: ${(error as Error).message}`, param: name },
                ];
                onChange();
              } finally {
                setUploading(null);
              }
            }}
          />
        </div>
      );
      break;
    default:
      control =
        spec.kind === 'string' && spec.multiline ? (
          <textarea data-testid="param-input" rows={3} value={shown(current)} placeholder={spec.description} onChange={(e) => set(e.target.value)} />
        ) : (
          <input type="text" data-testid="param-input" value={shown(current)} onChange={(e) => set(e.target.value)} />
        );
  }

  return (
    <Field $invalid={problem !== undefined} data-testid="param" data-param={name} data-invalid={problem !== undefined} title={spec.description}>
      <span className="label">
        <span>{spec.label}</span>
        {unit}
      </span>
      {control}
      {problem && (
        <div className="problem" data-testid="param-error">
          {problem}
        </div>
      )}
    </Field>
  );
}
