// Node previews for npm run bench: what handing back the preview of a run's generate node (a 60 s
// clip as a 16-bit WAV, encoded, hashed, PUT with the job's token, staged and placed beside the
// run) adds to handing back the run's saved 60 s WAV alone, median of 7 each, on one machine.
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startJobFilesServer } from './job-files-server.mjs';

const dist = new URL('../../packages/runtime/dist/', import.meta.url);
const { sendOutputs, portableReport } = await import(new URL('queue/output-transfer.js', dist).href);
const { sendPreviews } = await import(new URL('queue/node-previews.js', dist).href);
const { nodeOutputPreview } = await import(new URL('server/workflows/node-output-preview.js', dist).href);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function nodePreviewsBench(report) {
  const server = await startJobFilesServer();
  if (!server) {
    console.log('node previews bench skipped: redis-server is not installed (scripts/install.sh installs it)');
    return;
  }
  const { dir, redis, files } = server;
  try {
    const frames = 60 * 44_100;
    const channels = [0, 1].map((c) => Float32Array.from({ length: frames }, (_, i) => 0.5 * Math.sin((2 * Math.PI * (440 + 110 * c) * i) / 44_100)));
    const clip = { sampleRate: 44_100, channels };
    const saved = nodeOutputPreview(clip).bytes;
    const workerOut = join(dir, 'worker-take.wav');
    writeFileSync(workerOut, saved);
    const output = {
      node: 'save',
      path: 'take.wav',
      absolutePath: workerOut,
      bytes: saved.length,
      sha256: createHash('sha256').update(saved).digest('hex'),
      mime: 'audio/wav',
    };
    const summary = { type: 'audio', frames, seconds: 60, sampleRate: 44_100, channels: 2, peak: 0.5 };
    const runReport = {
      status: 'succeeded',
      nodes: [{ id: 'generate', type: 'sa3.generate', status: 'done', cacheKey: 'k', outputs: { audio: summary } }],
      outputs: [output],
    };
    const handBack = async (i, withPreviews) => {
      const jobId = `bench-${withPreviews ? 'previews' : 'outputs'}-${i}`;
      const outDir = join(dir, 'outputs', jobId);
      const transfer = await files.open(jobId, outDir, { nodes: [] });
      const t = performance.now();
      const { outputKeys } = await sendOutputs(redis, jobId, runReport, transfer);
      const previews = withPreviews ? await sendPreviews(transfer, jobId, runReport, () => ({ audio: clip }), nodeOutputPreview) : undefined;
      await files.receive(jobId, { report: portableReport(runReport), outputKeys, worker: 'bench', ...(previews ? { previews } : {}) }, outDir);
      const ms = performance.now() - t;
      rmSync(join(dir, 'outputs'), { recursive: true, force: true });
      return ms;
    };
    const times = { previews: [], outputs: [] };
    for (let i = 0; i < 8; i++) {
      // Alternating, the first of each left out: both see the same machine.
      const withPreviews = await handBack(i, true);
      const alone = await handBack(i, false);
      if (i > 0) (times.previews.push(withPreviews), times.outputs.push(alone));
    }
    const [withPreviews, alone] = [median(times.previews), median(times.outputs)];
    report(
      'a 60 s take handed back with its node preview / alone',
      (withPreviews / alone).toFixed(2),
      'x',
      `(median of 7: ${withPreviews.toFixed(0)} ms against ${alone.toFixed(0)} ms, ${(saved.length / 1e6).toFixed(1)} MB each)`,
    );
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  await nodePreviewsBench((name, value, unit, note) => console.log(`${name.padEnd(52)} ${String(value).padStart(12)} ${unit.padEnd(8)} ${note ?? ''}`));
