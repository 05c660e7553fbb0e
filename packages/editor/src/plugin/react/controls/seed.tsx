import { RANDOM_SEED, SEED_MAX, type SeedParam } from '@sa3/nodes';
import { FIELD_HEIGHT, type ControlProps, type ParamControl } from './control.js';
import { NumberInput } from './number-input.js';

function SeedControl({ value, set }: ControlProps<SeedParam>) {
  return (
    <div className="row">
      <NumberInput value={value} onCommit={set} step={1} />
      <span className="unit" style={{ flex: 1 }}>
        {value === RANDOM_SEED ? 'random each run' : ''}
      </span>
      <button type="button" title="Roll a new seed" data-testid="seed-dice" onClick={() => set(Math.floor(Math.random() * SEED_MAX))}>
        ⚄
      </button>
      <button type="button" title="A new random seed on every run (-1)" onClick={() => set(RANDOM_SEED)}>
        -1
      </button>
    </div>
  );
}

export const seedControl: ParamControl<SeedParam> = { Control: SeedControl, height: () => FIELD_HEIGHT };
