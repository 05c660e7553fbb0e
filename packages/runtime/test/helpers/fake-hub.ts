/**
 * A stand-in for huggingface.co on 127.0.0.1: the tree API and resolve URLs in Hugging Face's
 * shapes, over repo folders on disk (<root>/<owner>/<name>/...). Honours Range and bearer
 * tokens, redirects LFS files to a "CDN" path as the Hub does, and can cut a download short
 * or corrupt a file on purpose. Node built-ins only, so the CLI tests can use it too.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface HubRequest {
  readonly kind: 'revision' | 'tree' | 'resolve' | 'cdn' | 'other';
  readonly repo?: string;
  readonly path?: string;
  /** The branch or commit a revision, tree or resolve request names. */
  readonly revision?: string;
  readonly url: string;
  readonly range?: string;
  /** The first byte a Range request asks for. */
  readonly rangeStart: number | null;
  readonly authorization?: string;
}

export interface FakeHubOptions {
  readonly root: string;
  /** repo -> the token it wants as "Authorization: Bearer <token>". */
  readonly gated?: Readonly<Record<string, string>>;
  /** The first `times` (default 1) downloads of this file stop after `afterBytes` bytes and the socket closes. */
  readonly cut?: { readonly repo: string; readonly path: string; readonly afterBytes: number; readonly times?: number };
  /** Files served with one byte changed; the tree still lists their true sha256. */
  readonly corrupt?: readonly { readonly repo: string; readonly path: string }[];
  /** Tree entries per page (Link: rel="next"); default all on one page. */
  readonly pageSize?: number;
  readonly onRequest?: (request: HubRequest) => void;
}

export interface FakeHub {
  readonly endpoint: string;
  readonly requests: HubRequest[];
  close(): Promise<void>;
}

/** The commit "main" of a repo points at: a fixed id per repo. */
export function fakeCommit(repo: string): string {
  return createHash('sha1').update(`commit ${repo}`).digest('hex');
}

/** Branch "main" or the repo's one commit. */
const knownRevision = (repo: string, revision: string | undefined) => revision === 'main' || revision === fakeCommit(repo);

const isLfs = (path: string, size: number) => /\.(onnx|data|safetensors)$/.test(path) || size > 100_000;

function listUnder(dir: string, prefix: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    out.push(relative);
    if (entry.isDirectory()) out.push(...listUnder(dir, relative));
  }
  return out;
}

function treeEntry(repoDir: string, path: string): object {
  const full = join(repoDir, path);
  const info = statSync(full);
  if (info.isDirectory()) return { type: 'directory', oid: createHash('sha1').update(path).digest('hex'), size: 0, path };
  const bytes = readFileSync(full);
  const gitOid = (content: Buffer) => createHash('sha1').update(`blob ${content.byteLength}\0`).update(content).digest('hex');
  if (!isLfs(path, bytes.byteLength)) return { type: 'file', oid: gitOid(bytes), size: bytes.byteLength, path };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const pointer = Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${bytes.byteLength}\n`);
  return { type: 'file', oid: gitOid(pointer), size: bytes.byteLength, lfs: { oid: sha256, size: bytes.byteLength, pointerSize: pointer.byteLength }, path };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeHub(options: FakeHubOptions): Promise<FakeHub> {
  const requests: HubRequest[] = [];
  const cutsLeft = new Map<string, number>();
  if (options.cut) cutsLeft.set(`${options.cut.repo}/${options.cut.path}`, options.cut.times ?? 1);

  const authorized = (repo: string, req: IncomingMessage, res: ServerResponse): boolean => {
    const token = options.gated?.[repo];
    if (token === undefined) return true;
    const sent = req.headers.authorization;
    if (sent === `Bearer ${token}`) return true;
    sendJson(res, sent ? 403 : 401, { error: `Access to model ${repo} is restricted.` }, { 'x-error-code': 'GatedRepo' });
    return false;
  };

  const serveFile = (repo: string, path: string, req: IncomingMessage, res: ServerResponse): void => {
    let bytes = readFileSync(join(options.root, repo, path));
    if (options.corrupt?.some((c) => c.repo === repo && c.path === path)) {
      bytes = Buffer.from(bytes);
      bytes[bytes.length >> 1]! ^= 0xff;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = bytes.byteLength - 1;
    if (range) {
      start = Number(range[1]);
      if (range[2]) end = Math.min(end, Number(range[2]));
      if (start > end) {
        res.writeHead(416, { 'content-range': `bytes */${bytes.byteLength}` });
        res.end();
        return;
      }
    }
    const body = bytes.subarray(start, end + 1);
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'content-length': String(body.byteLength), 'accept-ranges': 'bytes' };
    if (range) headers['content-range'] = `bytes ${start}-${end}/${bytes.byteLength}`;
    res.writeHead(range ? 206 : 200, headers);
    const key = `${repo}/${path}`;
    const cuts = cutsLeft.get(key) ?? 0;
    if (cuts > 0 && options.cut && body.byteLength > options.cut.afterBytes) {
      cutsLeft.set(key, cuts - 1);
      res.write(body.subarray(0, options.cut.afterBytes), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const base = {
      url: req.url ?? '',
      rangeStart: /^bytes=(\d+)-/.test(req.headers.range ?? '') ? Number(/^bytes=(\d+)-/.exec(req.headers.range!)![1]) : null,
      ...(req.headers.range ? { range: req.headers.range } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };

    if (parts[0] === 'api' && parts[1] === 'models' && parts[4] === 'revision') {
      const repo = `${parts[2]}/${parts[3]}`;
      const request: HubRequest = { kind: 'revision', repo, revision: parts[5]!, ...base };
      requests.push(request);
      options.onRequest?.(request);
      if (!authorized(repo, req, res)) return;
      if (!existsSync(join(options.root, repo))) return sendJson(res, 404, { error: 'Repository not found' }, { 'x-error-code': 'RepoNotFound' });
      if (!knownRevision(repo, parts[5])) return sendJson(res, 404, { error: `Invalid rev id: ${parts[5]}` }, { 'x-error-code': 'RevisionNotFound' });
      return sendJson(res, 200, { id: repo, sha: fakeCommit(repo) });
    }

    if (parts[0] === 'api' && parts[1] === 'models' && parts[4] === 'tree') {
      const repo = `${parts[2]}/${parts[3]}`;
      const dir = parts.slice(6).join('/');
      const request: HubRequest = { kind: 'tree', repo, path: dir, revision: parts[5]!, ...base };
      requests.push(request);
      options.onRequest?.(request);
      if (!authorized(repo, req, res)) return;
      const repoDir = join(options.root, repo);
      if (!existsSync(repoDir)) return sendJson(res, 404, { error: 'Repository not found' }, { 'x-error-code': 'RepoNotFound' });
      if (!knownRevision(repo, parts[5])) return sendJson(res, 404, { error: `Invalid rev id: ${parts[5]}` }, { 'x-error-code': 'RevisionNotFound' });
      if (!existsSync(join(repoDir, dir))) return sendJson(res, 404, { error: `${dir} does not exist on "${parts[5]}"` }, { 'x-error-code': 'EntryNotFound' });
      const all = listUnder(repoDir, dir)
        .sort()
        .map((p) => treeEntry(repoDir, p));
      const pageSize = options.pageSize ?? all.length;
      const cursor = Number(url.searchParams.get('cursor') ?? 0);
      const page = all.slice(cursor, cursor + pageSize);
      const headers: Record<string, string> = {};
      if (cursor + pageSize < all.length) {
        const next = new URL(url.toString());
        next.searchParams.set('cursor', String(cursor + pageSize));
        headers.link = `<${next.pathname}${next.search}>; rel="next"`;
      }
      return sendJson(res, 200, page, headers);
    }

    if (parts[2] === 'resolve' || parts[0] === 'cdn') {
      const cdn = parts[0] === 'cdn';
      const repo = cdn ? `${parts[1]}/${parts[2]}` : `${parts[0]}/${parts[1]}`;
      const path = (cdn ? parts.slice(3) : parts.slice(4)).join('/');
      const request: HubRequest = { kind: cdn ? 'cdn' : 'resolve', repo, path, ...(cdn ? {} : { revision: parts[3]! }), ...base };
      requests.push(request);
      options.onRequest?.(request);
      if (!cdn && !authorized(repo, req, res)) return;
      if (!cdn && !knownRevision(repo, parts[3])) return sendJson(res, 404, { error: `Invalid rev id: ${parts[3]}` }, { 'x-error-code': 'RevisionNotFound' });
      const full = join(options.root, repo, path);
      if (!existsSync(full) || !statSync(full).isFile()) return sendJson(res, 404, { error: 'Entry not found' }, { 'x-error-code': 'EntryNotFound' });
      if (!cdn && isLfs(path, statSync(full).size)) {
        res.writeHead(302, { location: `/cdn/${repo}/${path}` });
        return res.end();
      }
      return serveFile(repo, path, req, res);
    }

    const request: HubRequest = { kind: 'other', ...base };
    requests.push(request);
    options.onRequest?.(request);
    sendJson(res, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
