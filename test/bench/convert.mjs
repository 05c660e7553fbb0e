// Converter figures for npm run bench: a synthetic checkpoint with medium's real DiT shapes
// (random float32 weights written by this file), its DiT converted in a child process (time
// and peak RSS), then ONNX Runtime CPU time per DiT step at L = 388 (30 s) against the
// machine's measured MatMul throughput.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statfsSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { convertDit, readDitConfig } from '@sa3/runtime';

const CHILD_FLAG = '--convert-dit-child';
const GB = 1e9;
/** Medium's DiT (../shared/reference/sa3-inference.md 1.3). */
export const MEDIUM = { embed: 1536, depth: 24, heads: 24 };
export const BENCH_LATENTS = 388;
const TIME_FEATURES = 256;
/** One set of options for the DiT and the MatMul peak, so the two figures are comparable. */
export const SESSION_OPTIONS = { graphOptimizationLevel: 'all', intraOpNumThreads: availableParallelism() };

export function modelConfig(depth) {
  const { embed, heads } = MEDIUM;
  return {
    model_type: 'diffusion_cond_inpaint',
    sample_size: 16777216,
    sample_rate: 44100,
    model: {
      io_channels: 256,
      diffusion: {
        type: 'dit',
        diffusion_objective: 'rf_denoiser',
        config: {
          io_channels: 256,
          embed_dim: embed,
          depth,
          num_heads: heads,
          cond_token_dim: 768,
          global_cond_dim: 768,
          local_add_cond_dim: 257,
          num_memory_tokens: 64,
          global_cond_type: 'adaLN',
          timestep_features_type: 'expo',
          norm_type: 'rms_norm',
          norm_kwargs: { force_fp32: true },
          attn_kwargs: { qk_norm: 'rms', differential: true },
          ff_kwargs: { mult: 4.0 },
        },
        cross_attention_cond_ids: ['prompt', 'seconds_total'],
        global_cond_ids: ['seconds_total'],
        local_add_cond_ids: ['inpaint_mask', 'inpaint_masked_input'],
        input_concat_ids: [],
        prepend_cond_ids: [],
      },
      conditioning: {
        cond_dim: 768,
        configs: [
          { id: 'prompt', type: 't5gemma', config: { max_length: 256 } },
          { id: 'seconds_total', type: 'number', config: { min_val: 0, max_val: 384 } },
        ],
      },
    },
  };
}

/** Every DiT tensor of the official key layout, with its shape, for a config. */
function ditTensors(depth) {
  const E = MEDIUM.embed;
  const D = E / MEDIUM.heads;
  const p = 'model.model.';
  const t = [
    [`${p}preprocess_conv.weight`, [256, 256, 1]],
    [`${p}postprocess_conv.weight`, [256, 256, 1]],
    [`${p}to_timestep_embed.0.weight`, [E, 256]],
    [`${p}to_timestep_embed.0.bias`, [E]],
    [`${p}to_timestep_embed.2.weight`, [E, E]],
    [`${p}to_timestep_embed.2.bias`, [E]],
    [`${p}to_cond_embed.0.weight`, [E, 768]],
    [`${p}to_cond_embed.2.weight`, [E, E]],
    [`${p}to_global_embed.0.weight`, [E, 768]],
    [`${p}to_global_embed.2.weight`, [E, E]],
    [`${p}transformer.global_cond_embedder.0.weight`, [E, E]],
    [`${p}transformer.global_cond_embedder.0.bias`, [E]],
    [`${p}transformer.global_cond_embedder.2.weight`, [6 * E, E]],
    [`${p}transformer.global_cond_embedder.2.bias`, [6 * E]],
    [`${p}transformer.memory_tokens`, [64, E]],
    [`${p}transformer.project_in.weight`, [E, 256]],
    [`${p}transformer.project_out.weight`, [256, E]],
    [`${p}transformer.rotary_pos_emb.inv_freq`, [Math.max(D / 2, 32) / 2]],
  ];
  for (let i = 0; i < depth; i++) {
    const l = `${p}transformer.layers.${i}.`;
    t.push(
      [`${l}to_scale_shift_gate`, [6 * E]],
      [`${l}pre_norm.gamma`, [E]],
      [`${l}cross_attend_norm.gamma`, [E]],
      [`${l}ff_norm.gamma`, [E]],
      [`${l}self_attn.to_qkv.weight`, [5 * E, E]],
      [`${l}self_attn.to_out.weight`, [E, E]],
      [`${l}self_attn.q_norm.gamma`, [D]],
      [`${l}self_attn.k_norm.gamma`, [D]],
      [`${l}cross_attn.to_q.weight`, [2 * E, E]],
      [`${l}cross_attn.to_kv.weight`, [3 * E, E]],
      [`${l}cross_attn.to_out.weight`, [E, E]],
      [`${l}cross_attn.q_norm.gamma`, [D]],
      [`${l}cross_attn.k_norm.gamma`, [D]],
      [`${l}to_local_embed.0.weight`, [E, 257]],
      [`${l}to_local_embed.0.bias`, [E]],
      [`${l}to_local_embed.2.weight`, [E, E]],
      [`${l}to_local_embed.2.bias`, [E]],
      [`${l}ff.ff.0.proj.weight`, [8 * E, E]],
      [`${l}ff.ff.0.proj.bias`, [8 * E]],
      [`${l}ff.ff.2.weight`, [E, 4 * E]],
      [`${l}ff.ff.2.bias`, [E]],
    );
  }
  return t;
}

/** `count` pseudo-random floats, uniform over [-width/2, width/2). */
export function uniform(count, width, seed) {
  const out = new Float32Array(count);
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32 - 0.5) * width;
  }
  return out;
}

/**
 * Writes model.safetensors tensor by tensor: small uniform values (norm gains near 1, inv_freq
 * the real RoPE frequencies) from one reused random block, so memory stays at a few MB.
 */
export function writeCheckpoint(path, depth) {
  const tensors = ditTensors(depth);
  const header = {};
  let offset = 0;
  for (const [name, shape] of tensors) {
    const bytes = shape.reduce((a, b) => a * b, 1) * 4;
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const block = uniform(1 << 22, 0.04, 12345);
  const fd = openSync(path, 'w');
  try {
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
    writeSync(fd, length);
    writeSync(fd, Buffer.from(json));
    for (const [name, shape] of tensors) {
      const count = shape.reduce((a, b) => a * b, 1);
      if (name.endsWith('inv_freq')) {
        const dim = count * 2;
        writeSync(fd, Buffer.from(Float32Array.from({ length: count }, (_, i) => 1 / 10000 ** ((2 * i) / dim)).buffer));
        continue;
      }
      const gain = name.endsWith('.gamma');
      for (let done = 0; done < count; done += block.length) {
        const n = Math.min(block.length, count - done);
        const data = gain ? block.subarray(0, n).map((v) => 1 + v) : block.subarray(0, n);
        writeSync(fd, Buffer.from(data.buffer, data.byteOffset, n * 4));
      }
    }
  } finally {
    closeSync(fd);
  }
  return 8 + Buffer.byteLength(json) + offset;
}

/**
 * FLOPs (2 per multiply-add) of every MatMul of one DiT call at L latents, from the config:
 * the projections, both softmax passes of differential attention (scores and weighted sum, over
 * S = memory tokens + L keys, or the C cross tokens), the local add over L rows, the GLU
 * feed-forward, and the conditioning MLPs. Norms, softmax and the other elementwise ops are left out.
 */
export function ditStepFlops(cfg, latents) {
  const E = cfg.embedDim;
  const S = cfg.memoryTokens + latents;
  const C = cfg.crossTokens;
  const branches = cfg.differential ? 2 : 1;
  const perBlock =
    S * E * (cfg.differential ? 5 : 3) * E +
    branches * 2 * S * S * E +
    S * E * E + // self-attention
    S * E * (branches * E) +
    C * E * ((branches + 1) * E) +
    branches * 2 * S * C * E +
    S * E * E + // cross-attention
    latents * (cfg.localAddCondDim * E + E * E) + // local add
    S * E * 2 * cfg.ffInner +
    S * cfg.ffInner * E; // feed-forward
  const conditioning = C * (cfg.condTokenDim * E + E * E) + TIME_FEATURES * E + cfg.globalCondDim * E + 3 * E * E + E * 6 * E; // one row each for time, global and adaLN
  const ends = 2 * latents * cfg.ioChannels * cfg.ioChannels + 2 * latents * cfg.ioChannels * E; // pre/postprocess convs, project in/out
  return 2 * (cfg.depth * perBlock + conditioning + ends);
}

/** [rows, cols] float32 input or output of a MatMul graph. */
export function matrixInfo(name, rows, cols) {
  return { name, type: { tensorType: { elemType: onnxProto.onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimValue: rows }, { dimValue: cols }] } } } };
}

/**
 * A graph of MatMuls chained through `widths` ([m, w0] x [w0, w1] x [w1, w2] ...), so one run is
 * long enough that per-run overhead disappears. The weights are initializers, as the DiT's are,
 * so ONNX Runtime pre-packs them the same way; a width of 2/sqrt(k) keeps the activations small.
 */
function matmulChain(m, widths) {
  const { onnx } = onnxProto;
  const node = [];
  const initializer = [];
  let flops = 0;
  for (let i = 0; i + 1 < widths.length; i++) {
    const [k, n] = [widths[i], widths[i + 1]];
    const w = uniform(k * n, 2 / Math.sqrt(k), i + 1);
    initializer.push({ name: `w${i}`, dims: [k, n], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(w.buffer) });
    node.push({ opType: 'MatMul', input: [i === 0 ? 'a' : `h${i}`, `w${i}`], output: [i + 2 === widths.length ? 'c' : `h${i + 1}`] });
    flops += 2 * m * k * n;
  }
  const graph = { name: 'matmul_chain', node, initializer, input: [matrixInfo('a', m, widths[0])], output: [matrixInfo('c', m, widths.at(-1))] };
  const model = onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], producerName: 'sa3-bench', graph }).finish();
  return { model, flops };
}

/**
 * Sessions for the MatMul peak, with the DiT's session options: the DiT's S rows through ff.0's
 * width and back, and square 2048 and 1024 chains. Square 4096 is left out: it ran at about two
 * thirds of square 2048's rate here.
 */
async function peakChains(cfg) {
  const S = cfg.memoryTokens + BENCH_LATENTS;
  const E = cfg.embedDim;
  const shapes = [
    { label: `[${S} x ${E}] x [${E} x ${2 * cfg.ffInner}] x [${2 * cfg.ffInner} x ${E}]`, m: S, widths: [E, 2 * cfg.ffInner, E] },
    { label: '[2048 x 2048] through four 2048 x 2048', m: 2048, widths: Array(5).fill(2048) },
    { label: '[1024 x 1024] through eight 1024 x 1024', m: 1024, widths: Array(9).fill(1024) },
  ];
  const chains = [];
  for (const { label, m, widths } of shapes) {
    const { model, flops } = matmulChain(m, widths);
    const session = await ort.InferenceSession.create(model, SESSION_OPTIONS);
    chains.push({ label, flops, session, feeds: { a: new ort.Tensor('float32', uniform(m * widths[0], 2, 7), [m, widths[0]]) } });
  }
  return chains;
}

/** The conversion in a child process, so its peak RSS is the converter's alone. */
function convertInChild(checkpointDir, outDir, precision) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), CHILD_FLAG, checkpointDir, outDir, precision], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`the DiT conversion child exited with ${code}`)),
    );
  });
}

async function childMain(checkpointDir, outDir, precision) {
  const { readFile } = await import('node:fs/promises');
  const config = JSON.parse(await readFile(join(checkpointDir, 'model_config.json'), 'utf8'));
  const t = performance.now();
  await convertDit(join(checkpointDir, 'model.safetensors'), config, outDir, { precision });
  const ms = performance.now() - t;
  process.stdout.write(`${JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
}

export async function ditSession(modelPath, cfg) {
  const session = await ort.InferenceSession.create(modelPath, SESSION_OPTIONS);
  const L = BENCH_LATENTS;
  const filled = (count) => Float32Array.from({ length: count }, (_, i) => 0.5 * Math.sin(i * 0.37));
  const feeds = {
    x: new ort.Tensor('float32', filled(cfg.ioChannels * L), [1, cfg.ioChannels, L]),
    t: new ort.Tensor('float32', Float32Array.of(0.7), [1]),
    cross_attn_cond: new ort.Tensor('float32', filled(cfg.crossTokens * cfg.condTokenDim), [1, cfg.crossTokens, cfg.condTokenDim]),
    global_embed: new ort.Tensor('float32', filled(cfg.globalCondDim), [1, cfg.globalCondDim]),
    local_add_cond: new ort.Tensor('float32', new Float32Array(cfg.localAddCondDim * L), [1, cfg.localAddCondDim, L]),
    padding_mask: new ort.Tensor('bool', new Uint8Array(L).fill(1), [1, L]),
  };
  return { session, feeds };
}

/** FLOP/s of a MatMul chain run back to back for at least `ms`. */
async function sustainedFlops(chain, ms) {
  const start = performance.now();
  let runs = 0;
  do {
    await chain.session.run(chain.feeds);
    runs++;
  } while (performance.now() - start < ms);
  return (runs * chain.flops) / ((performance.now() - start) / 1000);
}

/**
 * The fastest DiT step (ms) and the best MatMul throughput (FLOP/s, and the chain that reached
 * it) over rounds of one DiT step followed by each chain for as long as that step took. Both
 * are then exposed alike to whatever else runs on the machine; a chain's single short run could
 * slip into a quiet gap that a step of several seconds cannot.
 */
async function ditStepAgainstPeak(modelPath, cfg, rounds) {
  const dit = await ditSession(modelPath, cfg);
  const chains = await peakChains(cfg);
  for (const { session, feeds } of [dit, ...chains]) await session.run(feeds); // warm-up
  let stepMs = Infinity;
  const peak = { flopsPerSecond: 0, label: '' };
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    await dit.session.run(dit.feeds);
    const ms = performance.now() - start;
    stepMs = Math.min(stepMs, ms);
    for (const chain of chains) {
      const flopsPerSecond = await sustainedFlops(chain, ms);
      if (flopsPerSecond > peak.flopsPerSecond) Object.assign(peak, { flopsPerSecond, label: chain.label });
    }
  }
  for (const { session } of [dit, ...chains]) await session.release();
  return { stepMs, peak };
}

export async function convertBench(report) {
  const scratch = mkdtempSync(join(tmpdir(), 'sa3-bench-convert-'));
  try {
    const disk = statfsSync(scratch);
    const freeBytes = disk.bavail * disk.bsize;
    // Checkpoint + fp32 DiT + fp16 DiT take about 2.5 times the weights; under 20 GB free, fewer blocks.
    let depth = MEDIUM.depth;
    let note = '';
    if (freeBytes < 20 * GB) {
      depth = Math.max(1, Math.floor((MEDIUM.depth * (freeBytes - 2 * GB)) / (17 * GB)));
      note = ` [scaled down: ${(freeBytes / GB).toFixed(1)} GB free, so depth ${depth} of ${MEDIUM.depth}]`;
      console.log(
        `convert bench: only ${(freeBytes / GB).toFixed(1)} GB free in ${tmpdir()}; the synthetic checkpoint keeps medium's width but has ${depth} of ${MEDIUM.depth} blocks`,
      );
    }
    const checkpointDir = join(scratch, 'checkpoint');
    const outDir = join(scratch, 'out');
    const outDir16 = join(scratch, 'out-fp16');
    mkdirSync(checkpointDir);
    mkdirSync(outDir);
    mkdirSync(outDir16);
    const config = modelConfig(depth);
    writeFileSync(join(checkpointDir, 'model_config.json'), JSON.stringify(config));
    const writeStart = performance.now();
    const fileBytes = writeCheckpoint(join(checkpointDir, 'model.safetensors'), depth);
    const writeMs = performance.now() - writeStart;

    const { ms, maxRssBytes } = await convertInChild(checkpointDir, outDir, 'fp32');
    report(
      'convert synthetic medium DiT (F32 safetensors)',
      (ms / 1000).toFixed(1),
      's',
      `(${(fileBytes / GB).toFixed(2)} GB checkpoint; writing it took ${(writeMs / 1000).toFixed(1)} s)${note}`,
    );
    report(
      'convert synthetic medium DiT: peak RSS',
      (maxRssBytes / GB).toFixed(2),
      'GB',
      `(child process; ${((100 * maxRssBytes) / fileBytes).toFixed(1)}% of the ${(fileBytes / GB).toFixed(2)} GB checkpoint; target < 2 GB)${note}`,
    );
    const half = await convertInChild(checkpointDir, outDir16, 'fp16');
    const dataBytes = (dir) => statSync(join(dir, 'dit.onnx.data')).size;
    report(
      'convert synthetic medium DiT, --precision fp16',
      (half.ms / 1000).toFixed(1),
      's',
      `(peak RSS ${(half.maxRssBytes / GB).toFixed(2)} GB; weights ${(dataBytes(outDir16) / GB).toFixed(2)} GB vs ${(dataBytes(outDir) / GB).toFixed(2)} GB in fp32: ${(dataBytes(outDir16) / dataBytes(outDir)).toFixed(2)}x)${note}`,
    );
    rmSync(outDir16, { recursive: true, force: true });
    rmSync(join(checkpointDir, 'model.safetensors'));

    const cfg = readDitConfig(config);
    const { stepMs, peak } = await ditStepAgainstPeak(join(outDir, 'dit.onnx'), cfg, 3);
    const flops = ditStepFlops(cfg, BENCH_LATENTS);
    const achieved = flops / (stepMs / 1000);
    const gflops = (v) => (v / 1e9).toFixed(1);
    report(
      `ORT CPU DiT step, medium shapes, L=${BENCH_LATENTS} (30 s)`,
      (stepMs / 1000).toFixed(2),
      's',
      `(${(flops / 1e12).toFixed(3)} TFLOP/step, ${gflops(achieved)} GFLOP/s achieved = ${((100 * achieved) / peak.flopsPerSecond).toFixed(0)}% of the ${gflops(peak.flopsPerSecond)} GFLOP/s peak MatMul throughput here, sustained by ${peak.label} for a step's length; ${SESSION_OPTIONS.intraOpNumThreads} ORT threads)${note}`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[2] === CHILD_FLAG) await childMain(process.argv[3], process.argv[4], process.argv[5]);
