// Run in its own process by run.mjs: one 380 s generation on a medium-sized test pack,
// printing the process's peak RSS so it is not mixed with the rest of the benchmarks.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackLocator, Sa3Engine } from '@sa3/runtime';
import { writeTestPack } from '@sa3/runtime/testpack';

const root = mkdtempSync(join(tmpdir(), 'sa3-bench-rss-'));
await writeTestPack(join(root, 'medium'), { id: 'medium', objective: 'rf_denoiser', layout: 'explicit', family: 'medium' });
const engine = new Sa3Engine({ packs: new PackLocator([root]), log: () => undefined });
const baseline = process.resourceUsage().maxRSS * 1024;
const started = performance.now();
const clip = await engine.generate(
  { model: 'medium', prompt: { text: 'low hum', model: 'medium' }, steps: 8, cfgScale: 1, seed: 1, durationSeconds: 380 },
  { signal: new AbortController().signal, onProgress: () => undefined },
);
const ms = performance.now() - started;
const peak = process.resourceUsage().maxRSS * 1024;
const outputBytes = clip.channels.reduce((sum, c) => sum + c.byteLength, 0);
process.stdout.write(JSON.stringify({ peak, baseline, outputBytes, ms, frames: clip.channels[0].length }) + '\n');
