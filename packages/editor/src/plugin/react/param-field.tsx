import styled from 'styled-components';
import { errorBodySchema, paramApplies, paramDefault, parsePayload, uploadReceiptSchema, type ParamSpec } from '@sa3/nodes';
import type { Sa3Node } from '../sa3-node.js';
import { controlFor, type ControlHost } from './controls/index.js';
import { useNodeViewEnv, type NodeViewEnv } from './env.js';
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
  .wide input[type='number'] {
    flex: 1;
    min-width: 0;
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

function controlHost(env: NodeViewEnv, node: Sa3Node, name: string, onChange: () => void): ControlHost {
  return {
    fieldId: `${node.id}-${name}`,
    models: () => env.models(),
    async upload(file) {
      const response = await env.fetch(`${env.uploadUrl}?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        body: file,
        headers: { 'content-type': file.type || 'application/octet-stream' },
      });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) throw new Error(errorBodySchema.safeParse(body).data?.detail ?? `the upload failed (HTTP ${response.status})`);
      return parsePayload(uploadReceiptSchema, body, 'the upload answer').id;
    },
    reportProblem(code, message) {
      node.serverProblems = [...node.serverProblems, { code, message, param: name }];
      onChange();
    },
    seedMode: () => node.seedMode(name),
    setSeedMode(mode) {
      node.setSeedMode(name, mode);
      env.paramChanged(node, name);
      onChange();
    },
    usedSeed: () => node.runState.seeds?.[name],
  };
}

/** One param of a node: its label, the control its kind has, and its problem. Hidden while the param does not apply. */
export function ParamField({ node, name, spec, problem, onChange }: Props) {
  const env = useNodeViewEnv();
  if (node.definition && !paramApplies(node.definition, name, node.params)) return null;
  const set = (next: unknown): void => {
    node.setParam(name, next);
    env.paramChanged(node, name);
    onChange();
  };
  const { Control } = controlFor(spec);
  const unit = 'unit' in spec && spec.unit ? <span className="unit">{spec.unit}</span> : null;

  return (
    <Field $invalid={problem !== undefined} data-testid="param" data-param={name} data-invalid={problem !== undefined} title={spec.description}>
      <span className="label">
        <span>{spec.label}</span>
        {unit}
      </span>
      <Control spec={spec} value={node.params[name] ?? paramDefault(spec)} set={set} host={controlHost(env, node, name, onChange)} />
      {problem && (
        <div className="problem" data-testid="param-error">
          {problem}
        </div>
      )}
    </Field>
  );
}
