// Editor asset compression for npm run bench: what brotli 5 (what the server uses) saves on the
// app bundle, and what it costs against brotli 9 and 11 and gzip 9, measured in this run.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

function best(runs, fn) {
  let min = Infinity;
  let out;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    out = fn();
    min = Math.min(min, performance.now() - t);
  }
  return { ms: min, bytes: out.length };
}

export function assetCompressionBench(report) {
  const assets = join('packages', 'editor', 'dist', 'assets');
  const bundle = existsSync(assets) && readdirSync(assets).find((n) => /^index-.*\.js$/.test(n));
  if (!bundle) {
    console.log('asset compression: skipped, the editor is not built (cd packages/editor && npm run build)');
    return;
  }
  const raw = readFileSync(join(assets, bundle));
  const brotli = (quality) => () =>
    brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
  const br5 = best(3, brotli(5));
  const br9 = best(3, brotli(9));
  const br11 = best(1, brotli(11));
  const gz9 = best(3, () => gzipSync(raw, { level: 9 }));
  const mb = (raw.length / 1e6).toFixed(2);
  report('editor bundle brotli 5 size / raw', (br5.bytes / raw.length).toFixed(3), 'x', `(${mb} MB bundle)`);
  report('editor bundle gzip 9 size / raw', (gz9.bytes / raw.length).toFixed(3), 'x', '(clients without brotli)');
  report('editor bundle brotli 5 size / brotli 9 size', (br5.bytes / br9.bytes).toFixed(3), 'x');
  report('editor bundle brotli 5 time / brotli 9 time', (br5.ms / br9.ms).toFixed(2), 'x', '(once per asset per server)');
  report('editor bundle brotli 11 time / brotli 5 time', (br11.ms / br5.ms).toFixed(1), 'x', '(why not 11)');
}
