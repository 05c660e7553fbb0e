import type { ModelParam } from '@sa3/nodes';
import { FIELD_HEIGHT, shown, type ControlProps, type ParamControl } from './control.js';

function seconds(value: number): string {
  return `${Math.round(value)} s`;
}

/** "auto", the installed packs with the longest audio each makes, and the value the file names even when it is not installed here. */
function ModelControl({ value, set, host }: ControlProps<ModelParam>) {
  const packs = host.packs();
  const auto = packs.find((p) => p.auto) ?? packs[0];
  const options = ['auto', ...host.models().filter((m) => m !== 'auto')];
  if (typeof value === 'string' && !options.includes(value)) options.push(value);
  const label = (option: string): string => {
    if (option === 'auto') return auto ? `auto (${auto.id}, up to ${seconds(auto.maxSeconds)})` : 'auto';
    const pack = packs.find((p) => p.id === option);
    if (pack) return `${option} (up to ${seconds(pack.maxSeconds)})`;
    return packs.length > 0 || host.models().length > 0 ? `${option} (not installed)` : option;
  };
  return (
    <select data-testid="param-select" value={shown(value)} onChange={(e) => set(e.target.value)}>
      {options.map((option) => (
        <option key={option} value={option}>
          {label(option)}
        </option>
      ))}
    </select>
  );
}

export const modelControl: ParamControl<ModelParam> = { Control: ModelControl, height: () => FIELD_HEIGHT };
