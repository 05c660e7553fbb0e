import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type ContentEncoding = 'br' | 'gzip';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Types worth compressing: text and wasm. Images and fonts are compressed already. */
export function isCompressible(contentType: string): boolean {
  return /^(text\/|application\/(json|wasm)|image\/svg\+xml)/.test(contentType);
}

/** The encoding to answer an Accept-Encoding with: brotli where the client takes it, else gzip, else none. */
export function chooseEncoding(acceptEncoding: string | undefined): ContentEncoding | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string): number => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return null;
}

/**
 * Compressed copies of files, kept while the file's size and mtime stay the same, so each
 * asset is compressed once per encoding rather than on every request. Brotli quality 5: on the
 * 1.4 MB app bundle it is within 3 % of quality 9's size in about a third of its time, and
 * quality 11 takes ~60 times as long (test/bench/asset-compression.mjs), which a first page load would wait for.
 */
export class CompressedFiles {
  private readonly cache = new Map<string, { readonly stamp: string; readonly bytes: Promise<Buffer> }>();

  get(path: string, stamp: string, encoding: ContentEncoding): Promise<Buffer> {
    const key = `${encoding}:${path}`;
    const held = this.cache.get(key);
    if (held?.stamp === stamp) return held.bytes;
    const bytes = readFile(path).then((raw) =>
      encoding === 'br'
        ? brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
        : gzipAsync(raw, { level: 9 }),
    );
    this.cache.set(key, { stamp, bytes });
    bytes.catch(() => this.cache.delete(key));
    return bytes;
  }
}
