import { describe, expect, it } from 'vitest';
import { attachNegativeValues } from '../../src/cli/attach-negative-values.js';

const valueOptions = new Set(['seed', 'cfg', 'out']);

describe('attachNegativeValues', () => {
  it('joins a negative number to the value option before it', () => {
    expect(attachNegativeValues(['pad', '--seed', '-1'], valueOptions)).toEqual(['pad', '--seed=-1']);
    expect(attachNegativeValues(['--cfg', '-0.5', '--seed', '-.5'], valueOptions)).toEqual(['--cfg=-0.5', '--seed=-.5']);
    expect(attachNegativeValues(['--seed', '-3e2'], valueOptions)).toEqual(['--seed=-3e2']);
  });

  it('leaves options, flags and non-numbers as they are', () => {
    expect(attachNegativeValues(['--seed', '-x'], valueOptions)).toEqual(['--seed', '-x']);
    expect(attachNegativeValues(['--json', '-1'], valueOptions)).toEqual(['--json', '-1']);
    expect(attachNegativeValues(['--seed', '--out', 'a.wav'], valueOptions)).toEqual(['--seed', '--out', 'a.wav']);
    expect(attachNegativeValues(['--seed=-1'], valueOptions)).toEqual(['--seed=-1']);
  });

  it('stops at -- so positionals after it stay untouched', () => {
    expect(attachNegativeValues(['--', '--seed', '-1'], valueOptions)).toEqual(['--', '--seed', '-1']);
  });
});
