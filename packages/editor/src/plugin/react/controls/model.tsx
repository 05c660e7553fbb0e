import type { ModelParam } from '@sa3/nodes';
import { FIELD_HEIGHT, shown, type ControlProps, type ParamControl } from './control.js';

/** "auto", the installed packs, and the value the file names even when it is not installed here. */
function ModelControl({ value, set, host }: ControlProps<ModelParam>) {
  const options = ['auto', ...host.models().filter((m) => m !== 'auto')];
  if (typeof value === 'string' && !options.includes(value)) options.push(value);
  return (
    <select data-testid="param-select" value={shown(value)} onChange={(e) => set(e.target.value)}>
      {options.map((option) => (
        <option key={option} value={option}>
          {option}
        </option>
      ))}
    </select>
  );
}

export const modelControl: ParamControl<ModelParam> = { Control: ModelControl, height: () => FIELD_HEIGHT };
