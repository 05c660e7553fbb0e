import { paramDefault, type NumberParam } from '@sa3/nodes';
import { FIELD_HEIGHT, shown, type ControlProps, type ParamControl } from './control.js';
import { NumberInput } from './number-input.js';

/** A slider beside the number where the range is bounded on both sides. */
function NumberControl({ spec, value, set }: ControlProps<NumberParam>) {
  const fallback = paramDefault(spec);
  const slider = spec.min !== undefined && spec.max !== undefined;
  const numeric = typeof value === 'number' ? value : Number(fallback ?? spec.min ?? 0);
  return (
    <div className="row">
      {slider && (
        <input
          type="range"
          min={spec.min}
          max={spec.max}
          step={spec.step ?? (spec.integer ? 1 : (spec.max - spec.min) / 100)}
          value={Math.min(spec.max, Math.max(spec.min, numeric))}
          data-testid="param-slider"
          onChange={(e) => set(Number(e.target.value))}
        />
      )}
      <NumberInput
        value={value}
        onCommit={set}
        placeholder={fallback === undefined ? 'auto' : shown(fallback)}
        {...(spec.step !== undefined ? { step: spec.step } : {})}
      />
    </div>
  );
}

export const numberControl: ParamControl<NumberParam> = { Control: NumberControl, height: () => FIELD_HEIGHT };
