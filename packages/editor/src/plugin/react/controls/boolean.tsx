import type { BooleanParam } from '@sa3/nodes';
import { FIELD_HEIGHT, type ControlProps, type ParamControl } from './control.js';

function BooleanControl({ value, set }: ControlProps<BooleanParam>) {
  return <input type="checkbox" checked={value === true} onChange={(e) => set(e.target.checked)} />;
}

export const booleanControl: ParamControl<BooleanParam> = { Control: BooleanControl, height: () => FIELD_HEIGHT };
