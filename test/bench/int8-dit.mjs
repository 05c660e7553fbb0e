// int8 figures for npm run bench: a synthetic checkpoint with medium's DiT width (random float32
// weights), its DiT converted to fp32 and to int8, then ONNX Runtime CPU time per DiT step at
// L = 388 (30 s) of each, run in alternating rounds, and the velocity cosine between them; beside
// it, the feed-forward's MatMul chain in float32 and in int8 (the ratio the MatMuls alone allow).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { convertDit, readDitConfig } from '@sa3/runtime';
import { BENCH_LATENTS, MEDIUM, SESSION_OPTIONS, ditSession, ditStepFlops, matrixInfo, modelConfig, uniform, writeCheckpoint } from './convert.mjs';

/** Blocks of the synthetic DiT: the step ratio is the blocks' (the rest is a few vectors and two 256-wide projections). */
const DEPTH = Number(process.env.SA3_BENCH_INT8_DEPTH ?? 6);
const ROUNDS = 3;

/**
 * [m, widths[0]] through MatMuls of widths[i] x widths[i+1], in float32 or as the converter writes
 * int8 ones (DynamicQuantizeLinear + MatMulInteger + Cast + scale Mul, per-column int8 weights).
 */
export function chain(m, widths, precision) {
  const { onnx } = onnxProto;
  const { FLOAT, INT8 } = onnx.TensorProto.DataType;
  const node = [];
  const initializer = [];
  let flops = 0;
  let x = 'a';
  for (let i = 0; i + 1 < widths.length; i++) {
    const [k, n] = [widths[i], widths[i + 1]];
    const w = uniform(k * n, 2 / Math.sqrt(k), i + 1);
    const out = i + 2 === widths.length ? 'c' : `h${i + 1}`;
    flops += 2 * m * k * n;
    if (precision === 'fp32') {
      initializer.push({ name: `w${i}`, dims: [k, n], dataType: FLOAT, rawData: new Uint8Array(w.buffer) });
      node.push({ opType: 'MatMul', input: [x, `w${i}`], output: [out] });
    } else {
      const q = new Int8Array(k * n);
      const scale = new Float32Array(n);
      for (let c = 0; c < n; c++) {
        let max = 0;
        for (let r = 0; r < k; r++) max = Math.max(max, Math.abs(w[r * n + c]));
        scale[c] = max / 127 || 1;
        for (let r = 0; r < k; r++) q[r * n + c] = Math.round(w[r * n + c] / scale[c]);
      }
      initializer.push(
        { name: `q${i}`, dims: [k, n], dataType: INT8, rawData: new Uint8Array(q.buffer) },
        { name: `s${i}`, dims: [n], dataType: FLOAT, rawData: new Uint8Array(scale.buffer) },
      );
      node.push(
        { opType: 'DynamicQuantizeLinear', input: [x], output: [`xq${i}`, `xs${i}`, `xz${i}`] },
        { opType: 'MatMulInteger', input: [`xq${i}`, `q${i}`, `xz${i}`], output: [`acc${i}`] },
        { opType: 'Cast', input: [`acc${i}`], output: [`accf${i}`], attribute: [{ name: 'to', type: 2, i: FLOAT }] },
        { opType: 'Mul', input: [`xs${i}`, `s${i}`], output: [`scale${i}`] },
        { opType: 'Mul', input: [`accf${i}`, `scale${i}`], output: [out] },
      );
    }
    x = out;
  }
  const graph = { name: 'chain', node, initializer, input: [matrixInfo('a', m, widths[0])], output: [matrixInfo('c', m, widths.at(-1))] };
  return { model: onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], producerName: 'sa3-bench', graph }).finish(), flops };
}

function cosine(a, b) {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return dot / Math.sqrt(aa * bb);
}

/** The fastest run of each session over alternating rounds, so both see the same machine. */
async function alternating(sessions, rounds) {
  const best = sessions.map(() => Infinity);
  for (const { session, feeds } of sessions) await session.run(feeds); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const [i, { session, feeds }] of sessions.entries()) {
      const start = performance.now();
      await session.run(feeds);
      best[i] = Math.min(best[i], performance.now() - start);
    }
  }
  return best;
}

export async function int8Bench(report) {
  const scratch = mkdtempSync(join(tmpdir(), 'sa3-bench-int8-'));
  try {
    const checkpointDir = join(scratch, 'checkpoint');
    mkdirSync(checkpointDir);
    const config = modelConfig(DEPTH);
    writeFileSync(join(checkpointDir, 'model_config.json'), JSON.stringify(config));
    writeCheckpoint(join(checkpointDir, 'model.safetensors'), DEPTH);
    const cfg = readDitConfig(config);
    const dirs = {};
    for (const precision of ['fp32', 'int8']) {
      dirs[precision] = join(scratch, precision);
      mkdirSync(dirs[precision]);
      await convertDit(join(checkpointDir, 'model.safetensors'), config, dirs[precision], { precision });
    }
    rmSync(join(checkpointDir, 'model.safetensors'));
    const shape = `medium width, ${DEPTH} of ${MEDIUM.depth} blocks, L=${BENCH_LATENTS} (30 s)`;

    const wide = await ditSession(join(dirs.fp32, 'dit.onnx'), cfg);
    const narrow = await ditSession(join(dirs.int8, 'dit.onnx'), cfg);
    const [wideMs, narrowMs] = await alternating([wide, narrow], ROUNDS);
    const agreement = cosine((await narrow.session.run(narrow.feeds)).velocity.data, (await wide.session.run(wide.feeds)).velocity.data);
    await wide.session.release();
    await narrow.session.release();
    const flops = ditStepFlops(cfg, BENCH_LATENTS);
    report(
      'ORT CPU DiT step int8 / fp32',
      (narrowMs / wideMs).toFixed(2),
      'x',
      `(${shape}: int8 ${narrowMs.toFixed(0)} ms, fp32 ${wideMs.toFixed(0)} ms; ${(flops / (narrowMs / 1000) / 1e9).toFixed(0)} vs ${(flops / (wideMs / 1000) / 1e9).toFixed(0)} GFLOP/s-equivalent; ${SESSION_OPTIONS.intraOpNumThreads} ORT threads)`,
    );
    report("  one step's velocity cosine, int8 vs fp32", agreement.toFixed(5), '', `(${shape}, random weights; bar 0.999)`);

    const S = cfg.memoryTokens + BENCH_LATENTS;
    const widths = [cfg.embedDim, 2 * cfg.ffInner, cfg.embedDim];
    const chains = [];
    for (const precision of ['fp32', 'int8']) {
      const { model, flops: chainFlops } = chain(S, widths, precision);
      chains.push({
        session: await ort.InferenceSession.create(model, SESSION_OPTIONS),
        feeds: { a: new ort.Tensor('float32', uniform(S * widths[0], 2, 7), [S, widths[0]]) },
        flops: chainFlops,
      });
    }
    const [wideChain, narrowChain] = await alternating(chains, 10);
    for (const { session } of chains) await session.release();
    const ops = (ms) => (chains[0].flops / (ms / 1000) / 1e9).toFixed(0);
    report(
      'ORT CPU MatMul chain int8 / fp32, DiT feed-forward shape',
      (narrowChain / wideChain).toFixed(2),
      'x',
      `([${S} x ${widths[0]}] x [${widths[0]} x ${widths[1]}] x [${widths[1]} x ${widths[2]}]: int8 ${narrowChain.toFixed(1)} ms = ${ops(narrowChain)} GOP/s, fp32 ${wideChain.toFixed(1)} ms = ${ops(wideChain)} GFLOP/s; the MatMuls alone)`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
