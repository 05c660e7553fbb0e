// Real-size figures (SA3_BENCH_REAL_SHAPED=small,medium; long, so opt-in): a synthetic checkpoint
// with the official key names and shapes of each family and random weights, converted by
// `sa3 models convert` to fp32 and to int8, then measured on this machine: int8 against fp32 for
// one DiT step, the 8-step latents and the decoded audio of one seed; DiT step time and int8
// throughput against the int8 MatMul peak measured beside it; `sa3 generate` 30 s / 8 steps wall
// time over the audio's length, with where the time goes; the hashing the first generate after
// convert does.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { PackLocator, Sa3Engine, convertCheckpointToPack, convertSameCodec, readDitConfig, sameDecoderInt8Linears, verifyPackFiles } from '@sa3/runtime';
import { writeRealShapedCheckpoint } from '@sa3/runtime/testpack';
import { BENCH_LATENTS, SESSION_OPTIONS, ditSession, ditStepFlops, uniform } from './convert.mjs';
import { chain } from './int8-dit.mjs';
import { sessionOpenFigures } from './session-open.mjs';

const CLI = fileURLToPath(new URL('../../packages/runtime/dist/cli/main.js', import.meta.url));
const SECONDS = 30;
const STEPS = 8;
const PROMPT = 'a soft mid tone';
const BARS = { small: 0.2, medium: 1.0 };

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

function snrDb(reference, test) {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    signal += reference[i] ** 2;
    noise += (reference[i] - test[i]) ** 2;
  }
  return 10 * Math.log10(signal / noise);
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** One timed phase after another, in order, of an in-process 30 s job on a fresh engine. */
async function profiledJob(packs, id) {
  const engine = new Sa3Engine({ packs: new PackLocator([packs]), log: () => undefined });
  const ctx = { signal: new AbortController().signal, onProgress: () => undefined };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await engine.pack(id);
  const t1 = performance.now();
  const prompt = await engine.encodePrompt(PROMPT, id, ctx);
  const t2 = performance.now();
  const clip = await engine.generate({ model: id, prompt, steps: STEPS, cfgScale: 1, seed: 1, durationSeconds: SECONDS }, ctx);
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const stats = await engine.stats(id);
  await engine.close();
  const inRun = (role) => stats[role]?.ms ?? 0;
  return {
    clip,
    phases: {
      verify: t1 - t0,
      promptTotal: t2 - t1,
      textEncoderRun: inRun('textEncoder'),
      generateTotal: t3 - t2,
      ditRuns: inRun('dit'),
      ditCalls: stats.dit?.runs ?? 0,
      decodeRuns: inRun('decoder'),
      cpu: (cpu.user + cpu.system) / 1000,
    },
  };
}

/** Wall time of one `sa3 generate` process, as a user runs it. */
function cliGenerate(home, id, out) {
  const start = performance.now();
  const child = spawnSync(
    process.execPath,
    [CLI, 'generate', PROMPT, '--model', id, '--duration', String(SECONDS), '--steps', String(STEPS), '--seed', '1', '--no-cache', '--out', out],
    { env: { ...process.env, SA3_HOME: home }, encoding: 'utf8' },
  );
  const ms = performance.now() - start;
  if (child.status !== 0) throw new Error(`sa3 generate failed: ${child.stderr}`);
  return ms;
}

/**
 * The best of `rounds` alternating runs of each session, so all see the same machine; with each
 * its least process CPU time per run (`cpuMs`), which other processes' load inflates less.
 */
async function alternating(sessions, rounds) {
  const best = sessions.map(() => Infinity);
  const cpuMs = sessions.map(() => Infinity);
  for (const { session, feeds } of sessions) await session.run(feeds);
  for (let r = 0; r < rounds; r++) {
    for (const [i, { session, feeds }] of sessions.entries()) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      await session.run(feeds);
      best[i] = Math.min(best[i], performance.now() - start);
      const used = process.cpuUsage(cpu);
      cpuMs[i] = Math.min(cpuMs[i], (used.user + used.system) / 1000);
    }
  }
  return Object.assign(best, { cpuMs });
}

async function ditFigures(report, family, packDirs, cfg) {
  const wide = await ditSession(join(packDirs.fp32, 'dit.onnx'), cfg);
  const narrow = await ditSession(join(packDirs.int8, 'dit.onnx'), cfg);
  const S = cfg.memoryTokens + BENCH_LATENTS;
  const { model } = chain(S, [cfg.embedDim, 2 * cfg.ffInner, cfg.embedDim], 'int8');
  const peakChain = {
    session: await ort.InferenceSession.create(model, SESSION_OPTIONS),
    feeds: { a: new ort.Tensor('float32', uniform(S * cfg.embedDim, 2, 7), [S, cfg.embedDim]) },
  };
  // The peak chain runs in the same rounds as the steps, so the ratio compares one machine state.
  const times = await alternating([wide, narrow, peakChain], Number(process.env.SA3_BENCH_DIT_ROUNDS ?? 4));
  const [wideMs, narrowMs, chainMs] = times;
  const velocity = cosine((await narrow.session.run(narrow.feeds)).velocity.data, (await wide.session.run(wide.feeds)).velocity.data);
  for (const { session } of [wide, narrow, peakChain]) await session.release();
  const chainOps = 2 * S * cfg.embedDim * 2 * cfg.ffInner * 2;
  const stepOps = ditStepFlops(cfg, BENCH_LATENTS);
  const achieved = stepOps / (narrowMs / 1000);
  const peak = chainOps / (chainMs / 1000);
  report(`${family}: one DiT step's velocity cosine int8 vs fp32`, velocity.toFixed(5), '', `(L=${BENCH_LATENTS}, random weights; bar 0.999)`);
  report(
    `${family}: DiT step int8 / fp32`,
    (narrowMs / wideMs).toFixed(2),
    'x',
    `(int8 ${narrowMs.toFixed(0)} ms, fp32 ${wideMs.toFixed(0)} ms; process CPU per step ${times.cpuMs[1].toFixed(0)} and ${times.cpuMs[0].toFixed(0)} ms; load average ${loadavg()[0].toFixed(1)})`,
  );
  report(
    `${family}: int8 DiT step throughput / int8 MatMul peak`,
    (achieved / peak).toFixed(2),
    'x',
    `(${(achieved / 1e9).toFixed(0)} GOP/s-equivalent against ${(peak / 1e9).toFixed(0)} GOP/s of the feed-forward's int8 MatMul chain, ${SESSION_OPTIONS.intraOpNumThreads} threads)`,
  );
}

/** The first 128 latents [channels, length] of a clip as a decoder feed. */
function firstLatents(latents) {
  const width = Math.min(128, latents.length);
  const chunk = new Float32Array(latents.channels * width);
  for (let c = 0; c < latents.channels; c++) chunk.set(latents.data.subarray(c * latents.length, c * latents.length + width), c * width);
  return { latents: new ort.Tensor('float32', chunk, [1, latents.channels, width]) };
}

async function rawDecode(session, latents) {
  return (await session.run(firstLatents(latents))).audio.data;
}

/** The int8-Linear decoder against the float32 one on the first 128 latents of a generated clip: SNR of the audio and time. */
async function codecTrial(report, family, fp32Path, int8Path, latents) {
  const feeds = firstLatents(latents);
  const sessions = [];
  for (const path of [fp32Path, int8Path]) sessions.push({ session: await ort.InferenceSession.create(path, SESSION_OPTIONS), feeds });
  const [wideMs, narrowMs] = await alternating(sessions, 2);
  const outputs = [];
  for (const { session } of sessions) {
    outputs.push((await session.run(feeds)).audio.data);
    await session.release();
  }
  report(
    `${family}: codec trial, int8-Linear decoder SNR vs fp32`,
    snrDb(outputs[0], outputs[1]).toFixed(1),
    'dB',
    `(${feeds.latents.dims[2]} latents; bar 30 dB; decode int8 ${narrowMs.toFixed(0)} ms, fp32 ${wideMs.toFixed(0)} ms)`,
  );
}

async function familyBench(report, family, root) {
  const scratch = mkdtempSync(join(root, `sa3-bench-real-${family}-`));
  try {
    const checkpoint = join(scratch, family);
    let t = performance.now();
    const { model, bytes } = await writeRealShapedCheckpoint(checkpoint, family);
    report(`${family}: real-shaped checkpoint written`, (bytes / 1e9).toFixed(2), 'GB', `(${seconds(performance.now() - t)})`);
    const home = join(scratch, 'home');
    const packs = join(home, 'packs');
    mkdirSync(packs, { recursive: true });
    const packDirs = { fp32: join(packs, family), int8: join(packs, `${family}-int8`) };
    const convertMs = {};
    for (const precision of ['fp32', 'int8']) {
      t = performance.now();
      await convertCheckpointToPack(checkpoint, packDirs[precision], { id: precision === 'fp32' ? family : `${family}-int8`, precision });
      convertMs[precision] = performance.now() - t;
    }
    // The codec int8 trial: the decoder's Linears int8, its differential attention float32.
    const trialDir = join(scratch, 'codec-trial');
    mkdirSync(trialDir);
    await convertSameCodec('decoder', join(checkpoint, 'model.safetensors'), model.modelConfig, trialDir, { int8: sameDecoderInt8Linears });
    rmSync(checkpoint, { recursive: true, force: true });
    const size = (dir) => JSON.parse(readFileSync(join(dir, 'sa3-pack.json'), 'utf8')).files.reduce((sum, f) => sum + f.bytes, 0);
    report(
      `${family}: convert int8 / fp32`,
      (convertMs.int8 / convertMs.fp32).toFixed(2),
      'x',
      `(int8 ${seconds(convertMs.int8)}, fp32 ${seconds(convertMs.fp32)}; packs ${(size(packDirs.int8) / 1e9).toFixed(2)} GB and ${(size(packDirs.fp32) / 1e9).toFixed(2)} GB)`,
    );

    // The first generate after convert: the verification the engine does before opening a session.
    const manifest = JSON.parse(readFileSync(join(packDirs.int8, 'sa3-pack.json'), 'utf8'));
    t = performance.now();
    await verifyPackFiles(packDirs.int8, manifest);
    const stamped = performance.now() - t;
    t = performance.now();
    await verifyPackFiles(packDirs.int8, manifest, { force: true });
    const rehash = performance.now() - t;
    report(`${family}: hashing before the first generate after convert`, (stamped / 1000).toFixed(3), 's', `(re-hashing every file: ${seconds(rehash)})`);

    await ditFigures(report, family, packDirs, readDitConfig(model.modelConfig));
    for (const graph of ['dit.onnx', 'decoder.onnx']) {
      const open = await sessionOpenFigures(join(packDirs.int8, graph), scratch);
      report(
        `${family} int8: ${graph} open, optimized-model cache / plain`,
        (open.cached / open.plain).toFixed(2),
        'x',
        `(plain ${seconds(open.plain)}, from the cache ${seconds(open.cached)}; writing the cache once ${seconds(open.cacheWriteMs)})`,
      );
    }

    const wide = await profiledJob(packs, family);
    const narrow = await profiledJob(packs, `${family}-int8`);
    report(
      `${family}: 8-step latents cosine int8 vs fp32`,
      cosine(narrow.clip.latents.data, wide.clip.latents.data).toFixed(5),
      '',
      `(${SECONDS} s, seed 1; bar 0.99)`,
    );
    // Before the clamp to [-1, 1], which random weights' loud output would otherwise hide differences behind.
    const decoder = await ort.InferenceSession.create(join(packDirs.fp32, 'decoder.onnx'), SESSION_OPTIONS);
    const [a8, a32] = [await rawDecode(decoder, narrow.clip.latents), await rawDecode(decoder, wide.clip.latents)];
    await decoder.release();
    report(
      `${family}: decoded audio cosine int8 vs fp32`,
      cosine(a8, a32).toFixed(5),
      '',
      `(the fp32 decoder's output before the clamp, first 128 latents; SNR ${snrDb(a32, a8).toFixed(1)} dB; bar 0.99)`,
    );
    await codecTrial(report, family, join(packDirs.fp32, 'decoder.onnx'), join(trialDir, 'decoder.onnx'), wide.clip.latents);
    for (const [precision, { phases: p }] of [
      ['int8', narrow],
      ['fp32', wide],
    ]) {
      const ditOpen = p.generateTotal - p.ditRuns - p.decodeRuns;
      report(
        `${family} ${precision}: in-process ${SECONDS} s job / ${SECONDS} s`,
        ((p.verify + p.promptTotal + p.generateTotal) / 1000 / SECONDS).toFixed(2),
        'x',
        `(verify ${seconds(p.verify)}; prompt ${seconds(p.promptTotal)} of which text encoder run ${seconds(p.textEncoderRun)}; ` +
          `DiT ${p.ditCalls} runs ${seconds(p.ditRuns)}; decode runs ${seconds(p.decodeRuns)}; session opens and host work ${seconds(ditOpen)}; ` +
          `process CPU ${seconds(p.cpu)} = ${(p.cpu / 1000 / SECONDS / availableParallelism()).toFixed(2)} x 30 s on ${availableParallelism()} cores; load average ${loadavg()[0].toFixed(1)})`,
      );
    }
    const out = join(scratch, 'out.wav');
    const cliMs = cliGenerate(home, `${family}-int8`, out);
    report(
      `${family} int8: sa3 generate ${SECONDS} s ${STEPS} steps, wall / ${SECONDS} s`,
      (cliMs / 1000 / SECONDS).toFixed(2),
      'x',
      `(${seconds(cliMs)} for ${(statSync(out).size / 1e6).toFixed(1)} MB of WAV; bar ${BARS[family]})`,
    );
    unlinkSync(out);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function realShapedBench(report, families) {
  const root = process.env.SA3_BENCH_REAL_SHAPED_DIR ?? tmpdir();
  for (const family of families) await familyBench(report, family, root);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = (name, value, unit, note) => console.log(`${name.padEnd(56)} ${String(value).padStart(10)} ${unit.padEnd(4)} ${note ?? ''}`);
  await realShapedBench(report, (process.argv[2] ?? 'small').split(','));
}
