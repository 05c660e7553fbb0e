import { useCallback, useReducer, useRef } from 'react';
import styled from 'styled-components';
import type { RenderEmit } from 'rete-react-plugin';
import { NODE_WIDTH, type Sa3Node } from '../sa3-node.js';
import { paramProblems } from '../param-problems.js';
import type { Sa3Schemes } from '../schemes.js';
import { ParamField } from './param-field.js';
import { AudioPlayer } from './audio-player.js';
import { InlineSocket } from './inline-socket.js';
import { useNodeViewEnv } from './env.js';
import { useCardSize } from './use-card-size.js';
import { categoryColor, statusColor, theme } from './theme.js';

const Card = styled.div<{ $accent: string; $selected: boolean; $invalid: boolean; $width: number }>`
  width: ${(p) => p.$width}px;
  background: ${theme.card};
  color: ${theme.text};
  font-family: ${theme.font};
  border-radius: 9px;
  border: 1px solid ${(p) => (p.$selected ? theme.selected : p.$invalid ? theme.error : theme.border)};
  box-shadow: ${(p) => (p.$selected ? `0 0 0 2px ${theme.selected}55, ` : '')}0 10px 24px rgba(0, 0, 0, 0.45);
  user-select: none;
  position: relative;
  .header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 8px 12px;
    border-bottom: 1px solid ${theme.border};
    border-top: 3px solid ${(p) => p.$accent};
    border-radius: 9px 9px 0 0;
    background: ${theme.cardRaised};
  }
  .title {
    font-weight: 600;
    font-size: 13px;
    flex: 1;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .id {
    font: 10px ${theme.mono};
    color: ${theme.textFaint};
  }
  .badge {
    font: 600 10px ${theme.font};
    text-transform: uppercase;
    letter-spacing: 0.06em;
    padding: 2px 6px;
    border-radius: 4px;
    color: #0e1116;
  }
  .progress {
    height: 3px;
    background: ${theme.field};
    overflow: hidden;
  }
  .progress > div {
    height: 100%;
    background: ${theme.accent};
    transition: width 120ms linear;
  }
  .ports {
    padding: 6px 0;
  }
  .port {
    display: flex;
    align-items: center;
    gap: 8px;
    height: 24px;
    font-size: 12px;
    color: ${theme.textDim};
  }
  .port.output {
    justify-content: flex-end;
    margin-right: -8px;
  }
  .port.input {
    margin-left: -8px;
  }
  .port.invalid {
    color: ${theme.error};
  }
  .params {
    padding-bottom: 6px;
  }
  .placeholder {
    padding: 8px 12px;
    font-size: 12px;
    color: ${theme.error};
  }
  .placeholder pre {
    font: 11px ${theme.mono};
    color: ${theme.textDim};
    white-space: pre-wrap;
    word-break: break-all;
    margin: 6px 0 0;
  }
  .error {
    margin: 4px 10px 10px;
    padding: 7px 9px;
    border-radius: 6px;
    background: ${theme.errorBg};
    color: ${theme.error};
    font-size: 12px;
    line-height: 1.4;
  }
`;

function badgeText(node: Sa3Node): string | null {
  const s = node.runState;
  switch (s.status) {
    case 'idle':
      return null;
    case 'running':
      // Each phase counts its own steps (sampling 8/8, then decoding 1/2), so the badge names it.
      return s.total ? `${s.phase ? `${s.phase} ` : ''}${s.step}/${s.total}` : (s.phase ?? 'running');
    case 'done':
      return s.ms !== undefined ? `done ${(s.ms / 1000).toFixed(1)}s` : 'done';
    default:
      return s.status;
  }
}

function progressOf(node: Sa3Node): number | null {
  const s = node.runState;
  if (s.status === 'running') return s.total ? s.step! / s.total : 0.04;
  if (s.status === 'done' || s.status === 'cached') return 1;
  return null;
}

export function NodeView({ data: node, emit }: { data: Sa3Node; emit: RenderEmit<Sa3Schemes> }) {
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const env = useNodeViewEnv();
  const card = useRef<HTMLDivElement>(null);
  useCardSize(
    card,
    useCallback((width, height) => env.nodeSized(node, width, height), [env, node]),
  );
  const definition = node.definition;
  const local = paramProblems(node, env.packs());
  const problems = [...local, ...node.serverProblems];
  const runError = node.runState.error;
  const byParam = new Map<string, string>();
  for (const p of problems) if (p.param && !byParam.has(p.param)) byParam.set(p.param, p.message);
  if (runError?.param && !byParam.has(runError.param)) byParam.set(runError.param, runError.message);
  const badInputs = new Set(problems.flatMap((p) => (p.input ? [p.input] : [])).concat(runError?.input ? [runError.input] : []));
  const progress = progressOf(node);
  const badge = badgeText(node);
  const invalid = problems.length > 0 || node.runState.status === 'failed';
  const accent = categoryColor[definition?.category ?? 'Unknown'];
  const nodeLevel = [...(runError ? [runError.message] : []), ...problems.filter((p) => !p.param && p.code !== 'unknown_node_type').map((p) => p.message)];

  return (
    <Card
      $accent={accent}
      $selected={node.selected ?? false}
      $invalid={invalid}
      $width={NODE_WIDTH}
      ref={card}
      data-testid="sa3-node"
      data-node-id={node.id}
      data-node-type={node.type}
      data-status={node.runState.status}
      data-invalid={invalid}
      data-placeholder={node.isPlaceholder}
      data-selected={node.selected ?? false}
    >
      <div className="header">
        <span className="title" title={definition?.description ?? `Unknown node type ${node.type}`}>
          {node.label}
        </span>
        <span className="id">{node.id}</span>
        {badge && (
          <span className="badge" data-testid="node-status" style={{ background: statusColor[node.runState.status] }}>
            {badge}
          </span>
        )}
      </div>
      {progress !== null && (
        <div className="progress" data-testid="node-progress" data-value={progress.toFixed(3)}>
          <div style={{ width: `${Math.round(progress * 100)}%`, background: statusColor[node.runState.status] }} />
        </div>
      )}
      <div className="ports">
        {Object.entries(node.outputs).map(([key, output]) =>
          output ? (
            <div className="port output" key={key} data-testid="port" data-side="output" data-key={key}>
              <span>{output.label}</span>
              <InlineSocket name="output-socket" side="output" socketKey={key} nodeId={node.id} emit={emit} payload={output.socket} />
            </div>
          ) : null,
        )}
        {Object.entries(node.inputs).map(([key, input]) =>
          input ? (
            <div className={`port input${badInputs.has(key) ? ' invalid' : ''}`} key={key} data-testid="port" data-side="input" data-key={key}>
              <InlineSocket name="input-socket" side="input" socketKey={key} nodeId={node.id} emit={emit} payload={input.socket} />
              <span>{input.label}</span>
            </div>
          ) : null,
        )}
      </div>
      {definition ? (
        <div className="params" onPointerDown={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
          {Object.entries(definition.params).map(([name, spec]) => {
            const problem = byParam.get(name);
            return <ParamField key={name} node={node} name={name} spec={spec} onChange={redraw} {...(problem !== undefined ? { problem } : {})} />;
          })}
        </div>
      ) : (
        <div className="placeholder" data-testid="placeholder">
          Unknown node type <b>{node.type}</b> (v{node.typeVersion}). It is kept as it is and saved back unchanged, but cannot run here.
          <pre>{JSON.stringify(node.params, null, 1)}</pre>
        </div>
      )}
      {nodeLevel.length > 0 && (
        <div className="error" data-testid="node-error">
          {nodeLevel.map((m, i) => (
            <div key={i}>{m}</div>
          ))}
        </div>
      )}
      {(node.runState.media ?? []).map((media) => (
        <AudioPlayer key={media.url} media={media} />
      ))}
    </Card>
  );
}
