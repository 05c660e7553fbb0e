import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isFinalRunEvent, type ExampleEntry, type ServedRunReport } from '@sa3/nodes';
import type { ResultCache } from '../../executor/index.js';
import type { RunManager, RunRecord } from '../run-manager.js';
import { indexPage } from '../index-page.js';
import { refuse } from './error-reply.js';
import { chooseEncoding, CompressedFiles, isCompressible } from './compressed-file.js';
import { nodeOutputPreview } from './node-output-preview.js';

export const editorDistDir = fileURLToPath(new URL('../../../../editor/dist/', import.meta.url));

export interface EditorRoutesOptions {
  readonly runs: RunManager;
  readonly cache: ResultCache;
  readonly examplesDir: string;
  /** The built editor app; the placeholder page is served while it is not built. */
  readonly editorDir?: string;
  /** With --redis: the previews workers handed back, for the node outputs this server's cache never held. */
  readonly previews?: {
    preview(outDir: string, node: string, output: string): Promise<{ path: string; mime: string; bytes: number } | { sentence: string }>;
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths the editor app is served at, open even when the server asks for a token. */
export function isEditorAssetPath(path: string): boolean {
  return path === '/' || path.startsWith('/assets/') || /^\/[\w.-]+\.(html|svg|ico|png)$/.test(path);
}

function finalReport(run: RunRecord): ServedRunReport | undefined {
  if (run.report) return run.report;
  for (let i = run.events.length - 1; i >= 0; i--) {
    const event = run.events[i]!;
    if (isFinalRunEvent(event)) return event.report;
  }
  return undefined;
}

const compressed = new CompressedFiles();

/** Vite names assets by content hash, so they never change under the same name; the page itself is asked for afresh. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

async function sendStatic(req: FastifyRequest, reply: FastifyReply, root: string, relative: string, cache = 'no-cache'): Promise<FastifyReply | null> {
  const target = resolve(root, relative);
  if (!target.startsWith(resolve(root) + sep)) return null;
  const info = await stat(target).catch(() => null);
  if (!info?.isFile()) return null;
  const type = CONTENT_TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream';
  reply.header('content-type', type).header('cache-control', cache);
  const encoding = isCompressible(type) ? chooseEncoding(req.headers['accept-encoding']) : null;
  if (isCompressible(type)) reply.header('vary', 'accept-encoding');
  if (!encoding) return reply.header('content-length', info.size).send(createReadStream(target));
  const bytes = await compressed.get(target, `${info.size}:${info.mtimeMs}`, encoding);
  return reply.header('content-encoding', encoding).header('content-length', bytes.length).send(bytes);
}

/**
 * What the editor app needs beyond the workflow API: the app itself, the example gallery, and
 * the audio every node of a finished run produced (not only the saved files).
 */
export function registerEditorRoutes(app: FastifyInstance, options: EditorRoutesOptions): void {
  const editorDir = options.editorDir ?? editorDistDir;

  app.get('/', async (req, reply) => {
    const sent = await sendStatic(req, reply, editorDir, 'index.html');
    return sent ?? reply.type('text/html; charset=utf-8').send(indexPage);
  });
  app.get<{ Params: { '*': string } }>('/assets/*', async (req, reply) => {
    return (
      (await sendStatic(req, reply, join(editorDir, 'assets'), req.params['*'], IMMUTABLE)) ??
      refuse(reply, 404, `there is no editor asset "${req.params['*']}"`)
    );
  });
  app.get<{ Params: { file: string } }>('/:file', async (req, reply) => {
    const file = req.params.file;
    const sent = /^[\w.-]+\.(html|svg|ico|png)$/.test(file) ? await sendStatic(req, reply, editorDir, file) : null;
    return sent ?? refuse(reply, 404, `there is nothing at GET /${file}`);
  });

  app.get<{ Reply: ExampleEntry[] }>('/api/examples', async () => {
    const names = (await readdir(options.examplesDir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
    return Promise.all(
      names.map(async (file) => {
        const text = await readFile(join(options.examplesDir, file), 'utf8');
        let parsed: { name?: unknown; description?: unknown } = {};
        try {
          parsed = JSON.parse(text) as typeof parsed;
        } catch {
          /* listed anyway: the editor reports the parse error when it is opened */
        }
        return {
          file,
          name: typeof parsed.name === 'string' ? parsed.name : file.replace(/\.json$/, ''),
          description: typeof parsed.description === 'string' ? parsed.description : '',
          text,
        };
      }),
    );
  });

  app.get<{ Params: { id: string; node: string; output: string } }>('/api/runs/:id/nodes/:node/outputs/:output', async (req, reply) => {
    const { id, node, output } = req.params;
    const run = options.runs.get(id);
    if (!run) return refuse(reply, 404, `there is no run "${id}"`);
    const report = finalReport(run);
    if (!report) return refuse(reply, 409, `run ${id} has not finished yet; node outputs are available once it has`);
    const entry = report.nodes.find((n) => n.id === node);
    if (!entry) return refuse(reply, 404, `run ${id} has no node "${node}"`);
    const value = options.cache.get(entry.cacheKey)?.[output];
    if (value === undefined && options.previews) {
      // Run on a worker: what it handed back, kept beside the run.
      const kind = entry.outputs?.[output]?.type;
      if (kind !== undefined && kind !== 'audio' && kind !== 'file')
        return refuse(reply, 415, `the output "${output}" of node "${node}" is not audio or a file`);
      if (report.status !== 'succeeded')
        return refuse(reply, 404, `the output "${output}" of node "${node}" was made on a worker, which hands back previews only of runs that succeeded`);
      if (run.nodePreviews === false)
        return refuse(
          reply,
          404,
          `the output "${output}" of node "${node}" was made on a worker, which hands back no previews of predictions (their output is the file)`,
        );
      const found = await options.previews.preview(run.outDir, node, output);
      if ('sentence' in found) return refuse(reply, 404, found.sentence);
      return reply
        .header('content-type', found.mime)
        .header('content-length', found.bytes)
        .header('cache-control', 'no-cache')
        .send(createReadStream(found.path));
    }
    if (value === undefined)
      return refuse(
        reply,
        404,
        `the output "${output}" of node "${node}" is not held any more (it was never produced or has left the cache); run the workflow again`,
      );
    const preview = nodeOutputPreview(value);
    if (!preview) return refuse(reply, 415, `the output "${output}" of node "${node}" is not audio or a file`);
    const { bytes, mime } = preview;
    return reply
      .header('content-type', mime)
      .header('cache-control', 'no-cache')
      .header('content-length', bytes.byteLength)
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}
