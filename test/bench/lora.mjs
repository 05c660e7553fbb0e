// LoRA figures for npm run bench:
// 1. Merging a rank-16 stack of two LoRA files into a DiT with medium's real width (random
//    weights; SA3_BENCH_LORA_DEPTH blocks, default 4 of 24), in a child process: time against the
//    same code copying the DiT with no adapter (the I/O floor), and peak RSS above the process's
//    start against the DiT's weights (the merge must stay under one extra copy), and the low-rank
//    products in JavaScript float64 against ONNX Runtime's MatMul (what the engine uses).
// 2. sa3 generate on a small pack converted from a checkpoint with medium's layout: two LoRA files
//    against none, first with the merge (a new stack) and then with the merged DiT cached.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertDit, LoraStack, MatMulSession, OnnxDitWeights, readLoraFile, writeMergedDit } from '@sa3/runtime';
import { adaptableWeights, loraDemoModel, realShapedModel, writeRealShapedCheckpoint, writeSyntheticLora } from '@sa3/runtime/testpack';
import { modelConfig, writeCheckpoint } from './convert.mjs';

const CHILD_FLAG = '--lora-merge-child';
const DEPTH = Number(process.env.SA3_BENCH_LORA_DEPTH ?? 4);
const RANK = 16;
const GB = 1e9;
const cli = fileURLToPath(new URL('../../packages/runtime/dist/cli/main.js', import.meta.url));

async function childMain(mode, ditPath, outDir, ...loras) {
  const startRss = process.memoryUsage().rss;
  const weights = await OnnxDitWeights.open(ditPath, 'the bench DiT');
  const strengths = [0.8, -0.4];
  const entries = await Promise.all(loras.map(async (path, i) => ({ file: await readLoraFile(path), strength: strengths[i] })));
  const stack = LoraStack.build(entries, weights);
  const matMul = mode === 'ort' ? await MatMulSession.open() : null;
  const multiply = matMul ? { multiply: (x, y, rows, inner, cols) => matMul.product(x, y, rows, inner, cols) } : {};
  const started = performance.now();
  const written = await writeMergedDit(weights, stack, outDir, loras.length ? 'merged.onnx' : 'copy.onnx', multiply);
  const ms = performance.now() - started;
  await matMul?.release();
  process.stdout.write(JSON.stringify({ ms, merged: written.merged, startRss, maxRss: process.resourceUsage().maxRSS * 1024 }));
}

function runChild(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), CHILD_FLAG, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`the LoRA merge child exited with ${code}`))));
  });
}

function generateMs(env, out, args) {
  const started = performance.now();
  const flags = ['--model', 'lora-demo', '--duration', '10', '--seed', '1', '--no-cache', '--out', out];
  const result = spawnSync(process.execPath, [cli, 'generate', 'a warm pad', ...flags, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`sa3 generate failed: ${result.stderr}`);
  return performance.now() - started;
}

export async function loraBench(report) {
  const scratch = mkdtempSync(join(tmpdir(), 'sa3-bench-lora-'));
  try {
    // 1. The merge at medium's width.
    const checkpointDir = join(scratch, 'checkpoint');
    const ditDir = join(scratch, 'dit');
    mkdirSync(checkpointDir);
    mkdirSync(ditDir);
    const config = modelConfig(DEPTH);
    writeFileSync(join(checkpointDir, 'model_config.json'), JSON.stringify(config));
    writeCheckpoint(join(checkpointDir, 'model.safetensors'), DEPTH);
    await convertDit(join(checkpointDir, 'model.safetensors'), config, ditDir);
    rmSync(join(checkpointDir, 'model.safetensors'));
    const ditWeights = adaptableWeights(realShapedModel('medium', { depth: DEPTH }).modelConfig).filter((w) => w.module.startsWith('model.'));
    const loras = [join(scratch, 'a.safetensors'), join(scratch, 'b.safetensors')];
    await writeSyntheticLora(loras[0], ditWeights, { rank: RANK, seed: 21 });
    await writeSyntheticLora(loras[1], ditWeights, { rank: RANK, seed: 22 });
    const ditBytes = statSync(join(ditDir, 'dit.onnx.data')).size;
    const copy = await runChild(['js', join(ditDir, 'dit.onnx'), ditDir]);
    rmSync(join(ditDir, 'copy.onnx.data'));
    const merge = await runChild(['ort', join(ditDir, 'dit.onnx'), ditDir, ...loras]);
    rmSync(join(ditDir, 'merged.onnx.data'));
    const jsMerge = await runChild(['js', join(ditDir, 'dit.onnx'), ditDir, ...loras]);
    const scale = `(medium's width, ${DEPTH} of 24 blocks: ${merge.merged} adapted weights of ${12 + 9 * 24} at full depth, ${(ditBytes / GB).toFixed(2)} GB of DiT weights)`;
    report(
      'LoRA merge, rank-16 stack of two, time / plain copy',
      (merge.ms / copy.ms).toFixed(2),
      'x',
      `(${(merge.ms / 1000).toFixed(1)} s vs ${(copy.ms / 1000).toFixed(1)} s; low-rank products on ONNX Runtime, as the engine merges) ${scale}`,
    );
    report(
      'LoRA merge, products in JavaScript float64 / on ONNX Runtime',
      (jsMerge.ms / merge.ms).toFixed(2),
      'x',
      `(${(jsMerge.ms / 1000).toFixed(1)} s vs ${(merge.ms / 1000).toFixed(1)} s) ${scale}`,
    );
    report(
      'LoRA merge: peak RSS growth / DiT weights',
      ((merge.maxRss - merge.startRss) / ditBytes).toFixed(3),
      'x',
      `(${((merge.maxRss - merge.startRss) / 1e6).toFixed(0)} MB above the child's start; target < 1, one extra DiT copy) ${scale}`,
    );
    rmSync(ditDir, { recursive: true, force: true });

    // 2. Generate with two LoRA files against none on one pack.
    const home = join(scratch, 'home');
    const demo = join(scratch, 'lora-demo');
    await writeRealShapedCheckpoint(demo, loraDemoModel(), { seed: 3 });
    const env = { SA3_HOME: home };
    const converted = spawnSync(process.execPath, [cli, 'models', 'convert', demo], { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (converted.status !== 0) throw new Error(`sa3 models convert failed: ${converted.stderr}`);
    const demoWeights = adaptableWeights(loraDemoModel().modelConfig);
    const demoLoras = [join(scratch, 'warm.safetensors'), join(scratch, 'bright.safetensors')];
    await writeSyntheticLora(demoLoras[0], demoWeights, { rank: RANK, seed: 31 });
    await writeSyntheticLora(demoLoras[1], demoWeights, { rank: RANK, seed: 32 });
    const flags = ['--lora', `${demoLoras[0]}:0.8`, '--lora', `${demoLoras[1]}:0.5`];
    const out = join(scratch, 'take.wav');
    generateMs(env, out, []); // warm the OS file cache
    const first = generateMs(env, out, flags);
    const plain = Math.min(generateMs(env, out, []), generateMs(env, out, []));
    const cached = Math.min(generateMs(env, out, flags), generateMs(env, out, flags));
    report(
      'sa3 generate 10 s, two LoRAs (merged DiT cached) / none',
      (cached / plain).toFixed(2),
      'x',
      `(${(cached / 1000).toFixed(2)} s vs ${(plain / 1000).toFixed(2)} s, small medium-layout pack)`,
    );
    report('sa3 generate 10 s, two LoRAs, first use (merge) / none', (first / plain).toFixed(2), 'x', `(${(first / 1000).toFixed(2)} s)`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[2] === CHILD_FLAG) await childMain(...process.argv.slice(3));
else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await loraBench((name, value, unit, note) => console.log(`${name.padEnd(52)} ${String(value).padStart(12)} ${unit.padEnd(8)} ${note ?? ''}`));
}
