import { RANDOM_SEED, type SeedParam } from '@sa3/nodes';
import { randomSeed, seedModes, type SeedMode } from '../../seed-modes.js';
import { FIELD_HEIGHT, type ControlProps, type ParamControl } from './control.js';
import { NumberInput } from './number-input.js';

const modeTitles: Record<SeedMode, string> = {
  fixed: 'After each run: keep this seed',
  increment: 'After each run: add one to the seed',
  randomize: 'After each run: roll a new seed',
};

function SeedControl({ value, set, host }: ControlProps<SeedParam>) {
  const mode = host.seedMode();
  const used = value === RANDOM_SEED ? host.usedSeed() : undefined;
  return (
    <>
      <div className="row wide">
        <NumberInput value={value} onCommit={set} step={1} />
        <button type="button" title="Roll a new seed" data-testid="seed-dice" onClick={() => set(randomSeed())}>
          ⚄
        </button>
        <button type="button" title="A new random seed on every run (-1)" onClick={() => set(RANDOM_SEED)}>
          -1
        </button>
      </div>
      <div className="row unit" style={{ minHeight: 24, marginTop: 3 }} data-testid="seed-note">
        <select
          aria-label="After each run"
          title={modeTitles[mode]}
          data-testid="seed-mode"
          value={mode}
          style={{ width: 90, flex: 'none', padding: '3px 4px' }}
          onChange={(e) => host.setSeedMode(e.target.value as SeedMode)}
        >
          {seedModes.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        {value === RANDOM_SEED && used === undefined && <span>random each run</span>}
        {used !== undefined && (
          <>
            <span style={{ flex: 1, minWidth: 0, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
              used: <span data-testid="seed-used">{used}</span>
            </span>
            <button
              type="button"
              title="Put this seed in the field, to get this take again"
              data-testid="seed-keep"
              style={{ padding: '3px 6px' }}
              onClick={() => set(used)}
            >
              keep
            </button>
          </>
        )}
      </div>
    </>
  );
}

export const seedControl: ParamControl<SeedParam> = { Control: SeedControl, height: () => FIELD_HEIGHT + 25 };
