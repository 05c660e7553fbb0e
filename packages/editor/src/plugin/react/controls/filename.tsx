import type { FilenameParam } from '@sa3/nodes';
import { FIELD_HEIGHT, shown, type ControlProps, type ParamControl } from './control.js';

function FilenameControl({ value, set }: ControlProps<FilenameParam>) {
  return <input type="text" data-testid="param-input" value={shown(value)} onChange={(e) => set(e.target.value)} />;
}

export const filenameControl: ParamControl<FilenameParam> = { Control: FilenameControl, height: () => FIELD_HEIGHT };
