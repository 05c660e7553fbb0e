import { describe, expect, it } from 'vitest';
import { cpuHasFastInt8, slowInt8Sentence } from '../../src/engine/cpu-int8-support.js';

const x86 = (flags: string) => `processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: ${flags}\n\nprocessor\t: 1\nflags\t\t: ${flags}\n`;

describe('cpuHasFastInt8', () => {
  it('finds VNNI, AMX or Arm dot product in /proc/cpuinfo', () => {
    expect(cpuHasFastInt8(x86('fpu sse2 avx2 avx512f avx512_vnni'))).toBe(true);
    expect(cpuHasFastInt8(x86('fpu sse2 avx2 avx_vnni'))).toBe(true);
    expect(cpuHasFastInt8(x86('fpu avx2 amx_bf16 amx_tile amx_int8'))).toBe(true);
    expect(cpuHasFastInt8('processor\t: 0\nFeatures\t: fp asimd evtstrm aes crc32 asimddp\n')).toBe(true);
  });

  it('says no for CPUs without them', () => {
    expect(cpuHasFastInt8(x86('fpu sse2 avx avx2 fma'))).toBe(false);
    expect(cpuHasFastInt8('processor\t: 0\nFeatures\t: fp asimd evtstrm aes crc32\n')).toBe(false);
  });

  it('cannot tell without a cpuinfo or flags', () => {
    expect(cpuHasFastInt8(null)).toBeNull();
    expect(cpuHasFastInt8('processor\t: 0\nmodel name\t: something\n')).toBeNull();
  });

  it('names the float32 pack to prefer', () => {
    expect(slowInt8Sentence('medium-int8')).toBe(
      'the pack "medium-int8" is int8, and this CPU has no VNNI, AMX or dot-product instructions: it will run slower here than a float32 pack (prefer "medium")',
    );
    expect(slowInt8Sentence('mine')).toBe(
      'the pack "mine" is int8, and this CPU has no VNNI, AMX or dot-product instructions: it will run slower here than a float32 pack',
    );
  });
});
