import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatBytes } from '../files/index.js';

/**
 * Streams `source` into the file `target` (or nowhere, with null), hashing as it goes, and gives
 * the sha256 and size of what passed. More than `maxBytes` stops it with a 413 error. The caller
 * removes the target on failure.
 */
export async function hashedCopy(
  source: Readable | NodeJS.ReadableStream,
  target: string | null,
  maxBytes: number,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) callback(Object.assign(new Error(`the file is larger than the ${formatBytes(maxBytes)} accepted`), { statusCode: 413 }));
      else {
        hash.update(chunk);
        callback(null, chunk);
      }
    },
  });
  const sink = target === null ? new Writable({ write: (_chunk, _encoding, callback) => callback() }) : createWriteStream(target);
  await pipeline(source, counter, sink);
  return { sha256: hash.digest('hex'), bytes };
}
