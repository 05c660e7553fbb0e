import { paramDefault, type NumberParam } from '@sa3/nodes';
import { FIELD_HEIGHT, shown, type ControlProps, type ParamControl } from './control.js';
import { NumberInput } from './number-input.js';
import { startScrub } from './scrub.js';

/** One step of a param without its own: a hundredth of the range, or 1 for integers and unbounded numbers. */
function stepOf(spec: NumberParam): number {
  if (spec.step !== undefined) return spec.step;
  if (spec.integer || spec.min === undefined || spec.max === undefined) return 1;
  return (spec.max - spec.min) / 100;
}

/**
 * A slider beside the number where the range is bounded on both sides, and a handle to scrub
 * the value by dragging sideways. Lengths reach only as far as the node's selected pack.
 */
function NumberControl({ spec, value, set, host }: ControlProps<NumberParam>) {
  const fallback = paramDefault(spec);
  const limit = host.secondsLimit();
  const max = spec.max !== undefined && limit !== undefined ? Math.min(spec.max, limit) : spec.max;
  const numeric = typeof value === 'number' ? value : Number(fallback ?? spec.min ?? 0);
  const step = stepOf(spec);
  // Scrubbing goes finer than the slider: a tenth of the step for non-integers.
  const fine = spec.integer ? step : step / 10;
  return (
    <div className="row">
      <span
        className="scrub"
        data-testid="param-scrub"
        title="Drag sideways to change (Shift: faster, Alt: finer)"
        style={{ cursor: 'ew-resize', flex: 'none', color: 'var(--faint, #6b7386)', padding: '0 2px', touchAction: 'none', userSelect: 'none' }}
        onPointerDown={(e) =>
          startScrub(e, { value: () => numeric, step: fine, ...(spec.min !== undefined ? { min: spec.min } : {}), ...(max !== undefined ? { max } : {}), set })
        }
      >
        ↔
      </span>
      {spec.min !== undefined && max !== undefined && (
        <input
          type="range"
          min={spec.min}
          max={max}
          step={step}
          value={Math.min(max, Math.max(spec.min, numeric))}
          data-testid="param-slider"
          onChange={(e) => set(Number(e.target.value))}
        />
      )}
      <NumberInput
        value={value}
        onCommit={set}
        placeholder={fallback === undefined ? 'auto' : shown(fallback)}
        step={fine}
        {...(spec.min !== undefined ? { min: spec.min } : {})}
        {...(max !== undefined ? { max } : {})}
      />
    </div>
  );
}

export const numberControl: ParamControl<NumberParam> = { Control: NumberControl, height: () => FIELD_HEIGHT };
