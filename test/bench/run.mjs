// npm run bench: figures measured in one run, each against a baseline measured beside it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineNode } from '@sa3/nodes';
import { Executor, PackLocator, Sa3Engine, createRuntime, loadWorkflow, lookupFrom, samplePingPong, topologicalOrder, NoiseStream } from '@sa3/runtime';
import { writeTestPack } from '@sa3/runtime/testpack';

const scratch = mkdtempSync(join(tmpdir(), 'sa3-bench-'));
const results = [];
const report = (name, value, unit, note) => {
  results.push({ name, value, unit, note });
  console.log(`${name.padEnd(52)} ${String(value).padStart(12)} ${unit.padEnd(8)} ${note ?? ''}`);
};

function best(runs, fn) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

async function bestAsync(runs, fn) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

// 1. validate + plan a 500-node graph: a gain chain fed by one load, ending in convert + save.
{
  const nodes = [{ id: 'load', type: 'audio.load', typeVersion: 1, params: { source: 'x.wav' } }];
  const connections = [];
  for (let i = 0; i < 496; i++) {
    nodes.push({ id: `g${i}`, type: 'audio.gain', typeVersion: 1, params: { gain_db: -0.1 }, position: [i * 10, 0] });
    connections.push({ from: [i === 0 ? 'load' : `g${i - 1}`, 'audio'], to: [`g${i}`, 'audio'] });
  }
  nodes.push(
    { id: 'fade', type: 'audio.fade', typeVersion: 1, params: {} },
    { id: 'convert', type: 'audio.convert', typeVersion: 2, params: { format: 'mp3' } },
    { id: 'save', type: 'audio.save', typeVersion: 1, params: {} },
  );
  connections.push(
    { from: ['g495', 'audio'], to: ['fade', 'audio'] },
    { from: ['fade', 'audio'], to: ['convert', 'audio'] },
    { from: ['convert', 'file'], to: ['save', 'file'] },
  );
  const text = JSON.stringify({ format: 'sa3-workflow', version: 1, nodes, connections });
  const loadAndPlan = () => {
    const { workflow, problems } = loadWorkflow(text, { requireOutputs: true });
    if (problems.length) throw new Error(problems[0].message);
    topologicalOrder(
      workflow.nodes.map((n) => n.id),
      workflow.connections,
    );
  };
  const ms = best(20, loadAndPlan);
  const parseMs = best(20, () => JSON.parse(text));
  report(
    'validate + plan, 500 nodes',
    ms.toFixed(2),
    'ms',
    `(${((ms / 500) * 1000).toFixed(1)} µs/node; ${(ms / parseMs).toFixed(1)}x JSON.parse of the same file)`,
  );
}

// 2. Executor overhead per node: 500 no-op nodes in a chain against calling the same run functions in a loop.
{
  const noop = defineNode({
    type: 'bench.noop',
    typeVersion: 1,
    title: 'No-op',
    category: 'Audio utilities',
    description: 'Passes its input on.',
    inputs: { in: { type: 'conditioning', label: 'In', optional: true } },
    outputs: { out: { type: 'conditioning', label: 'Out' } },
    params: { i: { kind: 'number', label: 'i', default: 0, description: 'index' } },
    async run({ inputs }) {
      return { out: inputs.in ?? { text: '', model: '' } };
    },
  });
  const nodes = Array.from({ length: 500 }, (_, i) => ({ id: `n${i}`, type: 'bench.noop', typeVersion: 1, params: { i } }));
  const connections = nodes.slice(1).map((_, i) => ({ from: [`n${i}`, 'out'], to: [`n${i + 1}`, 'in'] }));
  const workflow = { format: 'sa3-workflow', version: 1, nodes, connections };
  const services = createRuntime({ baseDir: scratch }).services;
  const lookup = lookupFrom([noop]);
  const runMs = await bestAsync(5, () => new Executor({ services, nodes: lookup }).run(workflow, { outDir: scratch }));
  const directMs = await bestAsync(5, async () => {
    let value;
    for (let i = 0; i < 500; i++) value = (await noop.run({ inputs: { in: value }, params: { i } })).out;
  });
  const perNode = (runMs / 500) * 1000;
  report(
    'executor overhead per node (500 no-op nodes)',
    perNode.toFixed(1),
    'µs',
    `(run ${runMs.toFixed(1)} ms vs direct calls ${directMs.toFixed(2)} ms: ${(runMs / directMs).toFixed(0)}x; includes hashing, events, report)`,
  );
}

// 3. audio.convert to MP3 of 5 minutes against the plain ffmpeg command doing the same encode.
{
  const wav = join(scratch, 'five-minutes.wav');
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-nostdin',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=300',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=660:duration=300',
    '-filter_complex',
    'amerge=inputs=2',
    '-c:a',
    'pcm_f32le',
    wav,
  ]);
  const { services } = createRuntime({ baseDir: scratch });
  const clip = await services.audio.load(wav, new AbortController().signal);
  const ours = await bestAsync(3, () => services.audio.encode(clip, { format: 'mp3', bitrateKbps: 192 }, new AbortController().signal));
  const plain = best(3, () =>
    spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', '-i', wav, '-c:a', 'libmp3lame', '-b:a', '192k', join(scratch, 'plain.mp3')]),
  );
  report(
    'audio.convert mp3 192k, 5 min stereo',
    ours.toFixed(0),
    'ms',
    `(plain ffmpeg from the WAV file: ${plain.toFixed(0)} ms; ratio ${(ours / plain).toFixed(2)}; ${(300_000 / ours).toFixed(0)}x real time)`,
  );
  report('  wav input size', (statSync(wav).size / 1e6).toFixed(1), 'MB');
}

// 4. Host-side work per sampling step at L = 4096 latents (380 s), without the model: the
//    ping-pong update and the step's noise draw, against just writing that many floats.
{
  const size = 256 * 4096;
  const v = new Float32Array(size).fill(0.1);
  const noise = new NoiseStream(1);
  const steps = 8;
  const hostMs = await bestAsync(3, () =>
    samplePingPong({
      start: new Float32Array(size),
      sigmas: Array.from({ length: steps + 1 }, (_, i) => 1 - i / steps),
      model: async () => v,
      stepNoise: () => noise.fill(new Float32Array(size)),
    }),
  );
  const writeMs = best(5, () => {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = i;
  });
  report(
    'host time per sampling step, L = 4096',
    (hostMs / steps).toFixed(1),
    'ms',
    `(writing ${size} floats: ${writeMs.toFixed(2)} ms; ratio ${(hostMs / steps / writeMs).toFixed(1)}; most of it is the Gaussian draw)`,
  );
}

// 5. A 30 s job on the test pack: total engine time against the time inside session.run.
{
  const root = mkdtempSync(join(tmpdir(), 'sa3-bench-pack-'));
  await writeTestPack(join(root, 'small-music'), { id: 'small-music', objective: 'rf_denoiser', layout: 'baked' });
  const engine = new Sa3Engine({ packs: new PackLocator([root]), log: () => undefined });
  const job = () =>
    engine.generate(
      { model: 'small-music', prompt: { text: 'mid', model: 'small-music' }, steps: 8, cfgScale: 1, seed: 1, durationSeconds: 30 },
      { signal: new AbortController().signal, onProgress: () => undefined },
    );
  await job(); // sessions opened, files verified
  const before = await engine.stats('small-music');
  const started = performance.now();
  await job();
  const total = performance.now() - started;
  const after = await engine.stats('small-music');
  const inRun = Object.keys(after).reduce((sum, role) => sum + after[role].ms - (before[role]?.ms ?? 0), 0);
  report(
    '30 s job on the test pack: engine / session.run',
    (total / inRun).toFixed(2),
    'x',
    `(total ${total.toFixed(0)} ms, inside session.run ${inRun.toFixed(0)} ms; the test graphs are nearly free, so this is the host overhead bound)`,
  );
  await engine.close();
  rmSync(root, { recursive: true, force: true });
}

// 6. Peak RSS of a 380 s job (own process) against the size of the audio it returns.
{
  const child = spawnSync(process.execPath, [new URL('./engine-380s-rss.mjs', import.meta.url).pathname], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  const { peak, baseline, outputBytes, ms } = JSON.parse(child.stdout);
  report(
    '380 s job: peak RSS / output audio size',
    (peak / outputBytes).toFixed(2),
    'x',
    `(peak ${(peak / 1e6).toFixed(0)} MB, process before the job ${(baseline / 1e6).toFixed(0)} MB, output ${(outputBytes / 1e6).toFixed(0)} MB, ${(ms / 1000).toFixed(1)} s)`,
  );
}

// 7. The HTTP server.
await (await import('./server.mjs')).serverBench(report);

// 7b. A prediction through sa3 serve --redis and one sa3 worker against in-process (skipped without redis-server).
await (await import('./queue.mjs')).queueBench(report);

// 7c. Predictions per second with 1, 2 and 3 workers whose engine sleeps a fixed time per step (skipped without redis-server).
await (await import('./queue-throughput.mjs')).queueThroughputBench(report);

// 7d. A 40 MB output handed back from a worker over HTTP against through Redis (skipped without redis-server).
await (await import('./job-files.mjs')).jobFilesBench(report);

// 7e. A 60 s take handed back with the preview of its generate node against alone (skipped without redis-server).
await (await import('./node-previews.mjs')).nodePreviewsBench(report);

// 8. The editor in Chromium.
await (await import('./editor.mjs')).editorBench(report);

// 9. Converting a checkpoint with medium's real DiT shapes (several minutes, ~6 GB of disk).
if (process.env.SA3_BENCH_SKIP_CONVERT !== '1') await (await import('./convert.mjs')).convertBench(report);

// 10. The int8 DiT against the fp32 one at medium's width: step time ratio and velocity cosine.
if (process.env.SA3_BENCH_SKIP_INT8 !== '1') await (await import('./int8-dit.mjs')).int8Bench(report);

// 11. Real-shaped checkpoints converted to fp32 and int8 packs (SA3_BENCH_REAL_SHAPED=small or small,medium; tens of minutes, ~25 GB of disk for medium).
if (process.env.SA3_BENCH_REAL_SHAPED) await (await import('./real-shaped.mjs')).realShapedBench(report, process.env.SA3_BENCH_REAL_SHAPED.split(','));

// 11b. The real-shaped SAME-L decoder, one 128-latent chunk, int8 against fp32 (SA3_BENCH_SAME_DECODER=1; minutes, ~4 GB of disk).
if (process.env.SA3_BENCH_SAME_DECODER === '1') await (await import('./same-profile.mjs')).sameDecoderBench(report);

// 12. LoRA: merging a rank-16 stack of two at medium's width (time, peak memory), and generate with two LoRAs against none.
if (process.env.SA3_BENCH_SKIP_LORA !== '1') await (await import('./lora.mjs')).loraBench(report);

// 13. The run store: a history page from 2000 stored runs against one from 20, first and deep (by cursor).
await (await import('./run-store.mjs')).runStoreBench(report);

// 14. Editor assets: brotli 5 (served) against raw, gzip, and brotli 9 and 11, on the built app bundle.
(await import('./asset-compression.mjs')).assetCompressionBench(report);

mkdirSync('test-artifacts', { recursive: true });
writeFileSync(join('test-artifacts', 'bench.json'), JSON.stringify(results, null, 2) + '\n');
rmSync(scratch, { recursive: true, force: true });
