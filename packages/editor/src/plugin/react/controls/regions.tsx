import type { RegionsParam, TimeRegion } from '@sa3/nodes';
import { FIELD_HEIGHT, type ControlProps, type ParamControl } from './control.js';
import { NumberInput } from './number-input.js';

const ROW_HEIGHT = 28;
const VISIBLE_ROWS = 3;

function regionsOf(value: unknown): TimeRegion[] {
  return Array.isArray(value) ? (value as TimeRegion[]) : [];
}

/** One row of start and end seconds per region, with remove; more rows than fit scroll. */
function RegionsControl({ spec, value, set }: ControlProps<RegionsParam>) {
  const regions = regionsOf(value);
  const change = (index: number, key: keyof TimeRegion, next: unknown) => set(regions.map((r, i) => (i === index ? { ...r, [key]: next } : r)));
  const add = () => {
    const start = regions.reduce((end, r) => (typeof r.end === 'number' ? Math.max(end, r.end) : end), 0);
    set([...regions, { start, end: Math.min(start + 1, spec.max ?? Infinity) }]);
  };
  return (
    <div data-testid="regions">
      <div style={{ maxHeight: ROW_HEIGHT * VISIBLE_ROWS, overflowY: 'auto' }}>
        {regions.map((region, index) => (
          <div className="row" key={index} data-testid="region-row" style={{ height: ROW_HEIGHT }}>
            <NumberInput value={region.start} onCommit={(next) => change(index, 'start', next)} step={0.1} placeholder="start s" />
            <span className="unit">to</span>
            <NumberInput value={region.end} onCommit={(next) => change(index, 'end', next)} step={0.1} placeholder="end s" />
            <button type="button" title="Remove this region" data-testid="region-remove" onClick={() => set(regions.filter((_, i) => i !== index))}>
              ×
            </button>
          </div>
        ))}
      </div>
      <button type="button" data-testid="region-add" title="Add a region after the last one" onClick={add}>
        + region
      </button>
    </div>
  );
}

export const regionsControl: ParamControl<RegionsParam> = { Control: RegionsControl, height: () => FIELD_HEIGHT + ROW_HEIGHT * VISIBLE_ROWS + 4 };
