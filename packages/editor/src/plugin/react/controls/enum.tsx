import type { EnumParam } from '@sa3/nodes';
import { FIELD_HEIGHT, shown, type ControlProps, type ParamControl } from './control.js';

function EnumControl({ spec, value, set }: ControlProps<EnumParam>) {
  return (
    <select
      data-testid="param-select"
      value={shown(value)}
      onChange={(e) => set(typeof spec.options[0] === 'number' ? Number(e.target.value) : e.target.value)}
    >
      {spec.options.map((option) => (
        <option key={option} value={option}>
          {option}
        </option>
      ))}
    </select>
  );
}

export const enumControl: ParamControl<EnumParam> = { Control: EnumControl, height: () => FIELD_HEIGHT };
