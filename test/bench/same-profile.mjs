// Where one SAME decode chunk's time goes: a real-shaped checkpoint (random weights) of a family
// with its codec at a few blocks, the decoder converted to fp32 and int8 (Linears int8, attention
// float32), one 128-latent chunk run under ONNX Runtime's profiler, kernel time summed per op
// type (after ORT's fusions), and the int8 decode's SNR against fp32.
//   node test/bench/same-profile.mjs [medium|small] [blocks]
// SA3_SAME_PROFILE_SAVE=dir keeps the converted decoders there (decoder-fp32.onnx, decoder-int8.onnx);
// SA3_SAME_PROFILE_BASELINE=dir times decoders saved so by another build against these, alternating
// runs in this process, and prints after / before per precision.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { convertSameCodec, sameDecoderInt8Linears } from '@sa3/runtime';
import { realShapedModel, writeRealShapedCheckpoint } from '@sa3/runtime/testpack';
import { SESSION_OPTIONS } from './convert.mjs';
import { profileSession, profileTable } from './dit-profile.mjs';

const CHUNK_LATENTS = 128;
const ROUNDS = 6;

/** Latents [1,256,128] of a fixed pseudo-random draw, roughly unit-variance like the DiT's output. */
function chunkFeeds() {
  const data = new Float32Array(256 * CHUNK_LATENTS);
  let state = 12345;
  for (let i = 0; i < data.length; i++) {
    let sum = 0;
    for (let k = 0; k < 4; k++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      sum += state / 2 ** 32 - 0.5;
    }
    data[i] = sum * Math.sqrt(3);
  }
  return { latents: new ort.Tensor('float32', data, [1, 256, CHUNK_LATENTS]) };
}

function snrDb(reference, other) {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) [signal, noise] = [signal + reference[i] ** 2, noise + (reference[i] - other[i]) ** 2];
  return 10 * Math.log10(signal / noise);
}

/** The best of `rounds` alternating runs of each of two sessions, so both see the same machine state. */
async function alternatingBest(sessions, feeds, rounds) {
  const best = sessions.map(() => Infinity);
  for (const s of sessions) await s.run(feeds);
  for (let r = 0; r < rounds; r++) {
    // ABBA order: the session run second in a round measured faster here, so each goes second as often.
    for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
      const start = performance.now();
      await sessions[i].run(feeds);
      best[i] = Math.min(best[i], performance.now() - start);
    }
  }
  return best;
}

/** The codec-only model: the family's config with a one-block DiT, so the checkpoint stays small. */
function codecModel(family, depth) {
  const model = realShapedModel(family, { depth, vocabSize: 1024 });
  model.modelConfig.model.diffusion.config.depth = 1;
  return model;
}

/** Converts the family's decoder (fp32 and int8) from a fresh real-shaped checkpoint in `scratch`: the two graph paths. */
async function convertDecoders(scratch, family, depth) {
  const checkpoint = join(scratch, 'checkpoint');
  const { model } = await writeRealShapedCheckpoint(checkpoint, codecModel(family, depth));
  const paths = {};
  for (const precision of ['fp32', 'int8']) {
    const dir = join(scratch, precision);
    mkdirSync(dir);
    const fileName = `decoder-${precision}.onnx`;
    await convertSameCodec('decoder', join(checkpoint, 'model.safetensors'), model.modelConfig, dir, {
      fileName,
      ...(precision === 'int8' ? { int8: sameDecoderInt8Linears } : {}),
    });
    paths[precision] = join(dir, fileName);
  }
  rmSync(checkpoint, { recursive: true, force: true });
  return paths;
}

/** npm run bench (SA3_BENCH_SAME_DECODER=1): one 128-latent chunk of the real-shaped SAME-L decoder, int8 against fp32. */
export async function sameDecoderBench(report, depth = 12) {
  const scratch = mkdtempSync(join(process.env.SA3_BENCH_REAL_SHAPED_DIR ?? tmpdir(), 'sa3-same-decoder-'));
  try {
    const paths = await convertDecoders(scratch, 'medium', depth);
    const feeds = chunkFeeds();
    const sessions = [await ort.InferenceSession.create(paths.fp32, SESSION_OPTIONS), await ort.InferenceSession.create(paths.int8, SESSION_OPTIONS)];
    const [wideMs, narrowMs] = await alternatingBest(sessions, feeds, 3);
    const [wide, narrow] = [(await sessions[0].run(feeds)).audio.data, (await sessions[1].run(feeds)).audio.data];
    for (const s of sessions) await s.release();
    report(
      `SAME-L decoder (${depth} blocks), ${CHUNK_LATENTS}-latent chunk: int8 / fp32`,
      (narrowMs / wideMs).toFixed(2),
      'x',
      `(int8 ${narrowMs.toFixed(0)} ms, fp32 ${wideMs.toFixed(0)} ms per chunk; int8 SNR ${snrDb(wide, narrow).toFixed(1)} dB against fp32, bar 30 dB; load average ${loadavg()[0].toFixed(1)})`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const family = process.argv[2] ?? 'medium';
  const depth = Number(process.argv[3] ?? 4);
  const scratch = mkdtempSync(join(process.env.SA3_BENCH_REAL_SHAPED_DIR ?? tmpdir(), 'sa3-same-profile-'));
  const feeds = chunkFeeds();
  try {
    const paths = await convertDecoders(scratch, family, depth);
    const save = process.env.SA3_SAME_PROFILE_SAVE;
    if (save) {
      mkdirSync(save, { recursive: true });
      for (const path of Object.values(paths)) for (const f of [path, `${path}.data`]) copyFileSync(f, join(save, basename(f)));
    }
    const outputs = {};
    for (const precision of ['fp32', 'int8']) {
      const profile = await profileSession(paths[precision], feeds);
      outputs[precision] = profile.outputs.audio.data;
      profileTable(`SAME ${family} decoder ${precision}, ${depth} blocks, ${CHUNK_LATENTS} latents`, profile);
    }
    console.log(`\nint8 decode SNR against fp32: ${snrDb(outputs.fp32, outputs.int8).toFixed(1)} dB (bar 30 dB)`);

    const baseline = process.env.SA3_SAME_PROFILE_BASELINE;
    if (baseline) {
      for (const precision of ['fp32', 'int8']) {
        const before = join(baseline, `decoder-${precision}.onnx`);
        if (!existsSync(before)) continue;
        const sessions = [await ort.InferenceSession.create(before, SESSION_OPTIONS), await ort.InferenceSession.create(paths[precision], SESSION_OPTIONS)];
        const [beforeMs, afterMs] = await alternatingBest(sessions, feeds, ROUNDS);
        const beforeAudio = (await sessions[0].run(feeds)).audio.data;
        console.log(
          `${precision}: decode after / before ${(afterMs / beforeMs).toFixed(3)} (after ${afterMs.toFixed(0)} ms, before ${beforeMs.toFixed(0)} ms, ` +
            `best of ${ROUNDS} alternating; outputs agree to ${snrDb(beforeAudio, outputs[precision]).toFixed(1)} dB; load average ${loadavg()[0].toFixed(1)})`,
        );
        for (const s of sessions) await s.release();
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
