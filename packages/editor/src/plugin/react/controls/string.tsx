import type { StringParam } from '@sa3/nodes';
import { FIELD_HEIGHT, shown, type ControlProps, type ParamControl } from './control.js';

const MULTILINE_FIELD_HEIGHT = 84;

function StringControl({ spec, value, set }: ControlProps<StringParam>) {
  return spec.multiline ? (
    <textarea data-testid="param-input" rows={3} value={shown(value)} placeholder={spec.description} onChange={(e) => set(e.target.value)} />
  ) : (
    <input type="text" data-testid="param-input" value={shown(value)} onChange={(e) => set(e.target.value)} />
  );
}

export const stringControl: ParamControl<StringParam> = {
  Control: StringControl,
  height: (spec) => (spec.multiline ? MULTILINE_FIELD_HEIGHT : FIELD_HEIGHT),
};
