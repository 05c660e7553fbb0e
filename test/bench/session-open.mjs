// Session open time of a converted graph under ONNX Runtime options that could shorten it: the
// default (graph optimization "all" on every open), and an optimized-model cache (the optimized
// graph saved once with its weights beside it, then opened with optimization off).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { SESSION_OPTIONS } from './convert.mjs';

async function openMs(path, options) {
  const start = performance.now();
  const session = await ort.InferenceSession.create(path, { ...SESSION_OPTIONS, ...options });
  const ms = performance.now() - start;
  await session.release();
  return ms;
}

/** Best of `rounds` opens each way, alternating, and the one-off cost of writing the cache. */
export async function sessionOpenFigures(modelPath, cacheDir, rounds = 2) {
  const cached = join(cacheDir, 'optimized.onnx');
  const start = performance.now();
  await openMs(modelPath, {
    optimizedModelFilePath: cached,
    extra: {
      session: { optimized_model_external_initializers_file_name: 'optimized.onnx.data', optimized_model_external_initializers_min_size_in_bytes: '1024' },
    },
  });
  const cacheWriteMs = performance.now() - start;
  const best = { plain: Infinity, cached: Infinity };
  for (let r = 0; r < rounds; r++) {
    best.plain = Math.min(best.plain, await openMs(modelPath, {}));
    best.cached = Math.min(best.cached, await openMs(cached, { graphOptimizationLevel: 'disabled' }));
  }
  rmSync(cached, { force: true });
  rmSync(`${cached}.data`, { force: true });
  return { ...best, cacheWriteMs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await sessionOpenFigures(process.argv[2], process.argv[3] ?? '/tmp')));
