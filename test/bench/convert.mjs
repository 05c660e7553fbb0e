// Converter figures for npm run bench: a synthetic checkpoint with medium's real DiT shapes
// (random float32 weights written by this file), its DiT converted in a child process (time
// and peak RSS), then ONNX Runtime CPU time per DiT step at L = 388 (30 s) against the
// machine's measured MatMul throughput.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { convertDit, readDitConfig } from '@sa3/runtime';

const CHILD_FLAG = '--convert-dit-child';
const GB = 1e9;
/** Medium's DiT (../shared/reference/sa3-inference.md 1.3). */
const MEDIUM = { embed: 1536, depth: 24, heads: 24 };
const BENCH_LATENTS = 388;

function modelConfig(depth) {
  const { embed, heads } = MEDIUM;
  return {
    model_type: 'diffusion_cond_inpaint', sample_size: 16777216, sample_rate: 44100,
    model: {
      io_channels: 256,
      diffusion: {
        type: 'dit', diffusion_objective: 'rf_denoiser',
        config: {
          io_channels: 256, embed_dim: embed, depth, num_heads: heads, cond_token_dim: 768, global_cond_dim: 768, local_add_cond_dim: 257, num_memory_tokens: 64,
          global_cond_type: 'adaLN', timestep_features_type: 'expo', norm_type: 'rms_norm', norm_kwargs: { force_fp32: true }, attn_kwargs: { qk_norm: 'rms', differential: true }, ff_kwargs: { mult: 4.0 },
        },
        cross_attention_cond_ids: ['prompt', 'seconds_total'], global_cond_ids: ['seconds_total'], local_add_cond_ids: ['inpaint_mask', 'inpaint_masked_input'], input_concat_ids: [], prepend_cond_ids: [],
      },
      conditioning: { cond_dim: 768, configs: [{ id: 'prompt', type: 't5gemma', config: { max_length: 256 } }, { id: 'seconds_total', type: 'number', config: { min_val: 0, max_val: 384 } }] },
    },
  };
}

/** Every DiT tensor of the official key layout, with its shape, for a config. */
function ditTensors(depth) {
  const E = MEDIUM.embed;
  const D = E / MEDIUM.heads;
  const p = 'model.model.';
  const t = [
    [`${p}preprocess_conv.weight`, [256, 256, 1]], [`${p}postprocess_conv.weight`, [256, 256, 1]],
    [`${p}to_timestep_embed.0.weight`, [E, 256]], [`${p}to_timestep_embed.0.bias`, [E]], [`${p}to_timestep_embed.2.weight`, [E, E]], [`${p}to_timestep_embed.2.bias`, [E]],
    [`${p}to_cond_embed.0.weight`, [E, 768]], [`${p}to_cond_embed.2.weight`, [E, E]],
    [`${p}to_global_embed.0.weight`, [E, 768]], [`${p}to_global_embed.2.weight`, [E, E]],
    [`${p}transformer.global_cond_embedder.0.weight`, [E, E]], [`${p}transformer.global_cond_embedder.0.bias`, [E]],
    [`${p}transformer.global_cond_embedder.2.weight`, [6 * E, E]], [`${p}transformer.global_cond_embedder.2.bias`, [6 * E]],
    [`${p}transformer.memory_tokens`, [64, E]], [`${p}transformer.project_in.weight`, [E, 256]], [`${p}transformer.project_out.weight`, [256, E]],
    [`${p}transformer.rotary_pos_emb.inv_freq`, [Math.max(D / 2, 32) / 2]],
  ];
  for (let i = 0; i < depth; i++) {
    const l = `${p}transformer.layers.${i}.`;
    t.push(
      [`${l}to_scale_shift_gate`, [6 * E]], [`${l}pre_norm.gamma`, [E]], [`${l}cross_attend_norm.gamma`, [E]], [`${l}ff_norm.gamma`, [E]],
      [`${l}self_attn.to_qkv.weight`, [5 * E, E]], [`${l}self_attn.to_out.weight`, [E, E]], [`${l}self_attn.q_norm.gamma`, [D]], [`${l}self_attn.k_norm.gamma`, [D]],
      [`${l}cross_attn.to_q.weight`, [2 * E, E]], [`${l}cross_attn.to_kv.weight`, [3 * E, E]], [`${l}cross_attn.to_out.weight`, [E, E]], [`${l}cross_attn.q_norm.gamma`, [D]], [`${l}cross_attn.k_norm.gamma`, [D]],
      [`${l}to_local_embed.0.weight`, [E, 257]], [`${l}to_local_embed.0.bias`, [E]], [`${l}to_local_embed.2.weight`, [E, E]], [`${l}to_local_embed.2.bias`, [E]],
      [`${l}ff.ff.0.proj.weight`, [8 * E, E]], [`${l}ff.ff.0.proj.bias`, [8 * E]], [`${l}ff.ff.2.weight`, [E, 4 * E]], [`${l}ff.ff.2.bias`, [E]],
    );
  }
  return t;
}

/**
 * Writes model.safetensors tensor by tensor: small uniform values (norm gains near 1, inv_freq
 * the real RoPE frequencies) from one reused random block, so memory stays at a few MB.
 */
function writeCheckpoint(path, depth) {
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
  const block = new Float32Array(1 << 22);
  let state = 12345;
  for (let i = 0; i < block.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    block[i] = (state / 2 ** 32 - 0.5) * 0.04;
  }
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

/** Multiply-adds of one DiT call at L latents, from the config: every MatMul of the graph. */
function ditStepFlops(cfg, latents) {
  const E = cfg.embedDim;
  const S = cfg.memoryTokens + latents;
  const C = cfg.crossTokens;
  const branches = cfg.differential ? 2 : 1;
  const perBlock =
    S * E * (cfg.differential ? 5 : 3) * E + branches * 2 * S * S * E + S * E * E // self-attention
    + S * E * (branches * E) + C * E * ((branches + 1) * E) + branches * 2 * S * C * E + S * E * E // cross-attention
    + latents * (cfg.localAddCondDim * E + E * E) // local add
    + S * E * 2 * cfg.ffInner + S * cfg.ffInner * E; // feed-forward
  const outside = C * (cfg.condTokenDim * E + E * E) + 2 * latents * cfg.ioChannels * cfg.ioChannels + 2 * latents * cfg.ioChannels * E;
  return 2 * (cfg.depth * perBlock + outside);
}

/**
 * The best float32 MatMul throughput ONNX Runtime reaches on this machine, as FLOP/s: square
 * products and one with the DiT's feed-forward shape ([452,1536] x [1536,12288]). B is an
 * initializer, as the DiT's weights are, so ONNX Runtime pre-packs it the same way.
 */
async function matmulPeak() {
  const { onnx } = onnxProto;
  let peak = 0;
  for (const [m, k, n] of [[2048, 2048, 2048], [4096, 4096, 4096], [452, 1536, 12288]]) {
    const tensor = (name, rows, cols) => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimValue: rows }, { dimValue: cols }] } } } });
    const filled = (count) => Float32Array.from({ length: count }, (_, i) => Math.sin(i));
    const b = filled(k * n);
    const weight = { name: 'b', dims: [k, n], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(b.buffer) };
    const model = onnx.ModelProto.encode({
      irVersion: 8, opsetImport: [{ domain: '', version: 17 }], producerName: 'sa3-bench',
      graph: { name: 'matmul', node: [{ opType: 'MatMul', input: ['a', 'b'], output: ['c'] }], initializer: [weight], input: [tensor('a', m, k)], output: [tensor('c', m, n)] },
    }).finish();
    const session = await ort.InferenceSession.create(model);
    const feeds = { a: new ort.Tensor('float32', filled(m * k), [m, k]) };
    let best = Infinity;
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      await session.run(feeds);
      best = Math.min(best, performance.now() - t);
    }
    await session.release();
    peak = Math.max(peak, (2 * m * k * n) / (best / 1000));
  }
  return peak;
}

/** The conversion in a child process, so its peak RSS is the converter's alone. */
function convertInChild(checkpointDir, outDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), CHILD_FLAG, checkpointDir, outDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`the DiT conversion child exited with ${code}`))));
  });
}

async function childMain(checkpointDir, outDir) {
  const { readFile } = await import('node:fs/promises');
  const config = JSON.parse(await readFile(join(checkpointDir, 'model_config.json'), 'utf8'));
  const t = performance.now();
  await convertDit(join(checkpointDir, 'model.safetensors'), config, outDir);
  const ms = performance.now() - t;
  process.stdout.write(`${JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
}

async function ditStepMs(modelPath, cfg) {
  const session = await ort.InferenceSession.create(modelPath, { graphOptimizationLevel: 'all' });
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
  await session.run(feeds); // warm-up
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    await session.run(feeds);
    best = Math.min(best, performance.now() - t);
  }
  await session.release();
  return best;
}

export async function convertBench(report) {
  const scratch = mkdtempSync(join(tmpdir(), 'sa3-bench-convert-'));
  try {
    const disk = statfsSync(scratch);
    const freeBytes = disk.bavail * disk.bsize;
    // Checkpoint + converted DiT take about twice the weights; under 20 GB free, fewer blocks.
    let depth = MEDIUM.depth;
    let note = '';
    if (freeBytes < 20 * GB) {
      depth = Math.max(1, Math.floor((MEDIUM.depth * (freeBytes - 2 * GB)) / (14 * GB)));
      note = ` [scaled down: ${(freeBytes / GB).toFixed(1)} GB free, so depth ${depth} of ${MEDIUM.depth}]`;
      console.log(`convert bench: only ${(freeBytes / GB).toFixed(1)} GB free in ${tmpdir()}; the synthetic checkpoint keeps medium's width but has ${depth} of ${MEDIUM.depth} blocks`);
    }
    const checkpointDir = join(scratch, 'checkpoint');
    const outDir = join(scratch, 'out');
    mkdirSync(checkpointDir);
    mkdirSync(outDir);
    const config = modelConfig(depth);
    writeFileSync(join(checkpointDir, 'model_config.json'), JSON.stringify(config));
    const writeStart = performance.now();
    const fileBytes = writeCheckpoint(join(checkpointDir, 'model.safetensors'), depth);
    const writeMs = performance.now() - writeStart;

    const { ms, maxRssBytes } = await convertInChild(checkpointDir, outDir);
    report('convert synthetic medium DiT (F32 safetensors)', (ms / 1000).toFixed(1), 's', `(${(fileBytes / GB).toFixed(2)} GB checkpoint; writing it took ${(writeMs / 1000).toFixed(1)} s)${note}`);
    report('convert synthetic medium DiT: peak RSS', (maxRssBytes / GB).toFixed(2), 'GB', `(child process; ${((100 * maxRssBytes) / fileBytes).toFixed(1)}% of the ${(fileBytes / GB).toFixed(2)} GB checkpoint; target < 2 GB)${note}`);
    rmSync(join(checkpointDir, 'model.safetensors'));

    const cfg = readDitConfig(config);
    const peak = await matmulPeak();
    const stepMs = await ditStepMs(join(outDir, 'dit.onnx'), cfg);
    const flops = ditStepFlops(cfg, BENCH_LATENTS);
    const achieved = flops / (stepMs / 1000);
    report(`ORT CPU DiT step, medium shapes, L=${BENCH_LATENTS} (30 s)`, (stepMs / 1000).toFixed(2), 's', `(${(flops / 1e12).toFixed(2)} TFLOP/step, ${(achieved / 1e9).toFixed(1)} GFLOP/s = ${((100 * achieved) / peak).toFixed(0)}% of the ${(peak / 1e9).toFixed(1)} GFLOP/s the best plain MatMul reaches here)${note}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[2] === CHILD_FLAG) await childMain(process.argv[3], process.argv[4]);
