// Where one DiT step's time goes: a real-shaped checkpoint (random weights) of a family at a few
// blocks, its DiT converted to fp32 and int8, one step at L = 388 run under ONNX Runtime's
// profiler, kernel time summed per op type (after ORT's fusions, so a fused kernel shows as one).
//   node test/bench/dit-profile.mjs [small|medium] [blocks]
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { convertDit, readDitConfig } from '@sa3/runtime';
import { writeRealShapedCheckpoint } from '@sa3/runtime/testpack';
import { SESSION_OPTIONS, ditSession } from './convert.mjs';

const ROUNDS = 3;

/** Kernel microseconds per op type over the profiled runs, and the runs' count. */
function kernelTimes(profileFile) {
  const events = JSON.parse(readFileSync(profileFile, 'utf8'));
  const byOp = new Map();
  let runs = 0;
  for (const e of events) {
    if (e.cat === 'Session' && e.name === 'model_run') runs++;
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const op = e.args?.op_name ?? '?';
    byOp.set(op, (byOp.get(op) ?? 0) + e.dur);
  }
  return { byOp, runs };
}

/** One profiled session of `modelPath` on `feeds`: the best run's wall time, kernel time per op type per run, and the outputs. */
export async function profileSession(modelPath, feeds, options = {}) {
  const profileDir = mkdtempSync(join(tmpdir(), 'sa3-profile-'));
  const profiled = await ort.InferenceSession.create(modelPath, {
    ...SESSION_OPTIONS,
    ...options,
    enableProfiling: true,
    profileFilePrefix: join(profileDir, 'run'),
  });
  const outputs = await profiled.run(feeds); // warm-up, in the profile too; subtracted below by counting runs
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    await profiled.run(feeds);
    best = Math.min(best, performance.now() - start);
  }
  profiled.endProfiling();
  await profiled.release();
  if (process.env.SA3_PROFILE_KEEP)
    for (const f of readdirSync(profileDir)) writeFileSync(join(process.env.SA3_PROFILE_KEEP, f), readFileSync(join(profileDir, f)));
  const { byOp, runs } = kernelTimes(join(profileDir, readdirSync(profileDir)[0]));
  rmSync(profileDir, { recursive: true, force: true });
  const perStep = new Map([...byOp].map(([op, us]) => [op, us / 1000 / runs]));
  return { stepMs: best, perStep, outputs };
}

/** One profiled DiT step: the best step wall time and the kernel time per op type per step. */
export async function profileDit(modelPath, cfg, options = {}) {
  const { session, feeds } = await ditSession(modelPath, cfg);
  await session.release();
  return profileSession(modelPath, feeds, options);
}

export function profileTable(label, { stepMs, perStep }) {
  const total = [...perStep.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${label}: run ${stepMs.toFixed(0)} ms wall, ${total.toFixed(0)} ms in kernels (load average ${loadavg()[0].toFixed(1)})`);
  for (const [op, ms] of [...perStep].sort((a, b) => b[1] - a[1])) {
    if (ms < 0.005 * total) continue;
    console.log(`  ${op.padEnd(32)} ${ms.toFixed(1).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const family = process.argv[2] ?? 'small';
  const depth = Number(process.argv[3] ?? 4);
  const precisions = (process.env.SA3_PROFILE_PRECISIONS ?? 'int8,fp32').split(',');
  const scratch = mkdtempSync(join(process.env.SA3_BENCH_REAL_SHAPED_DIR ?? tmpdir(), 'sa3-dit-profile-'));
  try {
    const checkpoint = join(scratch, 'checkpoint');
    const { model } = await writeRealShapedCheckpoint(checkpoint, family, { depth, vocabSize: 1024 });
    const cfg = readDitConfig(model.modelConfig);
    for (const precision of precisions) {
      const dir = join(scratch, precision);
      mkdirSync(dir);
      await convertDit(join(checkpoint, 'model.safetensors'), model.modelConfig, dir, { precision });
      profileTable(`${family} ${precision}, ${depth} blocks, L=388`, await profileDit(join(dir, 'dit.onnx'), cfg));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
