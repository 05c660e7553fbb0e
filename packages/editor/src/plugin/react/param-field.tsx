import styled from 'styled-components';
import { errorBodySchema, paramApplies, paramDefault, parsePayload, uploadReceiptSchema, type ParamSpec } from '@sa3/nodes';
import type { Sa3Node } from '../sa3-node.js';
import { controlFor, type ControlHost } from './controls/index.js';
import { useNodeViewEnv, type NodeViewEnv } from './env.js';
import { theme } from './theme.js';
import { isPackBounded, packSecondsLimit } from '../pack-limits.js';
import { rememberUploadName } from '../upload-names.js';
import { audioFeeding, loadPreview } from '../source-audio.js';
import { RegionWaveform, type SecondsSpan } from './region-waveform.js';
import { SourcePreview } from './source-preview.js';

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
    packs: () => env.packs(),
    loras: () => env.loras(),
    setSibling(param, value) {
      const previous = node.params[param];
      node.setParam(param, value);
      env.paramChanged(node, param, { previous });
      onChange();
    },
    secondsLimit: () => (isPackBounded(name) ? packSecondsLimit(node, env.packs()) : undefined),
    async upload(file) {
      const response = await env.fetch(`${env.uploadUrl}?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        body: file,
        headers: { 'content-type': file.type || 'application/octet-stream' },
      });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) throw new Error(errorBodySchema.safeParse(body).data?.detail ?? `the upload failed (HTTP ${response.status})`);
      const id = parsePayload(uploadReceiptSchema, body, 'the upload answer').id;
      rememberUploadName(id.replace(/^upload:/, ''), file.name);
      return id;
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

function isSpan(value: unknown): value is SecondsSpan {
  return typeof value === 'object' && value !== null && typeof (value as SecondsSpan).start === 'number' && typeof (value as SecondsSpan).end === 'number';
}

/** Regions after a drag on the waveform: added with Shift, else in place of the one it overlaps (or the last). */
function regionsAfterDrag(current: unknown, span: SecondsSpan, adding: boolean): SecondsSpan[] {
  const regions = Array.isArray(current) ? current.filter(isSpan) : [];
  if (adding || regions.length === 0) return [...regions, span];
  const overlapped = regions.findIndex((r) => r.start < span.end && span.start < r.end);
  const replaced = overlapped >= 0 ? overlapped : regions.length - 1;
  return regions.map((r, i) => (i === replaced ? span : r));
}

/**
 * The waveform of the audio a node edits, where a span is picked by dragging: above a regions
 * param (inpaint), and above the start of a start/end pair (trim).
 */
function SpanPicker({ node, name, spec, set, onChange }: { node: Sa3Node; name: string; spec: ParamSpec; set: (next: unknown) => void; onChange: () => void }) {
  const env = useNodeViewEnv();
  const params = node.definition?.params ?? {};
  const pair = name === 'start_seconds' && 'end_seconds' in params;
  if (spec.kind !== 'regions' && !pair) return null;
  const source = audioFeeding(node, env.editor, env.audioPreviewUrl);
  if (!source) return null;
  if (spec.kind === 'regions') {
    const regions = node.params[name] ?? paramDefault(spec);
    return (
      <RegionWaveform
        source={source}
        spans={Array.isArray(regions) ? regions.filter(isSpan) : []}
        onSelect={(span, adding) => set(regionsAfterDrag(regions, span, adding))}
      />
    );
  }
  const start = typeof node.params.start_seconds === 'number' ? node.params.start_seconds : 0;
  const end = typeof node.params.end_seconds === 'number' ? node.params.end_seconds : Number.POSITIVE_INFINITY;
  return (
    <RegionWaveform
      source={source}
      spans={[{ start, end }]}
      onSelect={(span) => {
        const previous = { start: node.params.start_seconds, end: node.params.end_seconds };
        node.setParam('start_seconds', span.start);
        node.setParam('end_seconds', span.end);
        env.paramChanged(node, 'start_seconds', { previous: previous.start });
        env.paramChanged(node, 'end_seconds', { previous: previous.end });
        onChange();
      }}
    />
  );
}

/** One param of a node: its label, the control its kind has, and its problem. Hidden while the param does not apply. */
export function ParamField({ node, name, spec, problem, onChange }: Props) {
  const env = useNodeViewEnv();
  if (node.definition && !paramApplies(node.definition, name, node.params)) return null;
  const set = (next: unknown): void => {
    const previous = node.params[name];
    node.setParam(name, next);
    // A fixed run error on this param goes as soon as the param changes, as a check's mark does.
    if (node.runState.error?.param === name) node.setRunState({ status: 'idle' });
    env.paramChanged(node, name, { previous });
    onChange();
  };
  const preview = spec.kind === 'audioSource' ? loadPreview(node.params[name], env.audioPreviewUrl) : null;
  const { Control } = controlFor(spec);
  const unit = 'unit' in spec && spec.unit ? <span className="unit">{spec.unit}</span> : null;

  return (
    <>
      <SpanPicker node={node} name={name} spec={spec} set={set} onChange={onChange} />
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
      {preview && <SourcePreview source={preview} />}
    </>
  );
}
