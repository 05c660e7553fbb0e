import { readFileSync } from 'node:fs';

/** CPU flags (as /proc/cpuinfo names them) under which ONNX Runtime's int8 MatMul beats float32. */
const INT8_FLAGS = ['avx512_vnni', 'avx_vnni', 'amx_int8', 'asimddp'];

/**
 * Whether this CPU has instructions that make int8 packs fast (x86 VNNI or AMX, Arm dot
 * product), read from /proc/cpuinfo; null where that cannot be told (no /proc, another OS).
 */
export function cpuHasFastInt8(cpuinfo: string | null = readCpuinfo()): boolean | null {
  if (cpuinfo === null) return null;
  const flags = new Set(
    cpuinfo
      .split('\n')
      .filter((line) => /^(flags|Features)\s*:/.test(line))
      .flatMap((line) => line.split(':')[1]!.trim().split(/\s+/)),
  );
  if (flags.size === 0) return null;
  return INT8_FLAGS.some((flag) => flags.has(flag));
}

function readCpuinfo(): string | null {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null;
  }
}

/** The sentence said once when an int8 pack is about to run on a CPU without those instructions. */
export function slowInt8Sentence(packId: string): string {
  const fp32 = packId.replace(/-int8$/, '');
  return `the pack "${packId}" is int8, and this CPU has no VNNI, AMX or dot-product instructions: it will run slower here than a float32 pack${fp32 !== packId ? ` (prefer "${fp32}")` : ''}`;
}
