// The plugin as another app gets it: `npm pack` @sa3/nodes and @sa3/editor, install the two
// tarballs with their peers from the npm registry into a fresh Vite + React app outside the
// workspace, typecheck and build that app, and check in Chromium that our nodes render.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNodeDefinition } from '@sa3/nodes';
import { repoRoot } from '../helpers/paths.js';

const screenshotDir = join(repoRoot, 'test-artifacts', 'screenshots');

const run = promisify(execFile);

const NODE_TYPES = ['sa3.prompt', 'sa3.generate', 'audio.save'] as const;
// What a Vite + React app that hosts the plugin installs next to the two tarballs.
const APP_DEV_DEPENDENCIES = ['vite', '@vitejs/plugin-react', 'typescript', '@types/react', '@types/react-dom'];

interface PackedFile {
  readonly path: string;
}
interface Packed {
  readonly filename: string;
  readonly files: readonly PackedFile[];
}

/** npm without the settings of the npm process that may have started this test (workspace, prefix). */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.toLowerCase().startsWith('npm_')) env[key] = value;
  return { ...env, ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

async function npm(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('npm', args, { cwd, env: npmEnv(), maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${e.stderr ?? ''}\n${e.stdout ?? ''}\n${e.message}`, { cause: error });
  }
}

async function bin(cwd: string, name: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(join(cwd, 'node_modules', '.bin', name), args, { cwd, env: npmEnv(), maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${name} ${args.join(' ')} failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, { cause: error });
  }
}

async function pack(packageDir: string, destination: string): Promise<Packed> {
  const [packed] = JSON.parse(await npm(packageDir, ['pack', '--json', '--pack-destination', destination])) as Packed[];
  if (!packed) throw new Error(`npm pack gave nothing for ${packageDir}`);
  return packed;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** A static server for the built app on loopback. */
async function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const target = resolve(root, '.' + (path === '/' ? '/index.html' : path));
    if (!target.startsWith(resolve(root) + sep)) return void response.writeHead(403).end();
    readFile(target).then(
      (body) => response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Another Rete app</title>
    <style>html, body, #editor { margin: 0; height: 100%; }</style>
  </head>
  <body>
    <div id="editor"></div>
    <script type="module" src="/src/main.tsx"></script>
  </body>
</html>
`;

// As packages/editor/README.md shows, plus the subpath export and a few typed uses of the API.
const MAIN_TSX = `import { createRoot } from 'react-dom/client';
import { NodeEditor } from 'rete';
import { AreaExtensions, AreaPlugin } from 'rete-area-plugin';
import { ConnectionPlugin } from 'rete-connection-plugin';
import { ReactPlugin } from 'rete-react-plugin';
import { Sa3Connection, createSa3Plugin, type Sa3AreaExtra, type Sa3Plugin, type Sa3Schemes } from '@sa3/editor';
import { parseWorkflow, type Workflow } from '@sa3/editor/workflow-json';

// A type import in our .d.ts files that does not resolve turns the type into any (skipLibCheck
// hides the error itself); then these assignments compile and the directives fail the typecheck.
// @ts-expect-error a number is not a scheme
export const notSchemes: Sa3Schemes = 42;
// @ts-expect-error a number is not an area signal
export const notExtra: Sa3AreaExtra = 42;
// @ts-expect-error a number is not the plugin
export const notPlugin: Sa3Plugin = 42;
// @ts-expect-error a number is not a workflow (a type of @sa3/nodes)
export const notWorkflow: Workflow = 42;

async function main(): Promise<void> {
  const container = document.getElementById('editor') as HTMLElement;
  const editor = new NodeEditor<Sa3Schemes>();
  const area = new AreaPlugin<Sa3Schemes, Sa3AreaExtra>(container);
  const connection = new ConnectionPlugin<Sa3Schemes, Sa3AreaExtra>();
  const render = new ReactPlugin<Sa3Schemes, Sa3AreaExtra>({ createRoot });
  const refused: string[] = [];
  const sa3: Sa3Plugin = createSa3Plugin(editor, area, { onRefused: (reason: string) => refused.push(reason) });

  render.addPreset(sa3.renderPreset);
  connection.addPreset(sa3.connectionPreset(connection));
  editor.use(area);
  area.use(connection);
  area.use(render);

  const prompt = await sa3.addNode('sa3.prompt', { x: 0, y: 0 });
  const generate = await sa3.addNode('sa3.generate', { x: 360, y: 0 });
  const save = await sa3.addNode('audio.save', { x: 720, y: 0 });
  await editor.addConnection(new Sa3Connection(prompt, 'conditioning', generate, 'prompt'));
  await editor.addConnection(new Sa3Connection(generate, 'audio', save, 'audio'));
  await AreaExtensions.zoomAt(area, editor.getNodes());

  const workflow: Workflow = parseWorkflow(sa3.serialize());
  Object.assign(window, { host: { workflow, refused } });
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  document.body.dataset.failed = String(error);
  throw error;
});
`;

const VITE_CONFIG = `import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({ plugins: [react()], build: { chunkSizeWarningLimit: 4000 } });
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    module: 'ESNext',
    moduleResolution: 'bundler',
    jsx: 'react-jsx',
    strict: true,
    noEmit: true,
    // As Vite's templates; main.tsx checks that the published types resolve.
    skipLibCheck: true,
    types: [],
  },
  include: ['src'],
};

let work: string;
let appDir: string;
let nodesPacked: Packed;
let editorPacked: Packed;
let site: { server: Server; url: string } | undefined;
let browser: Browser | undefined;
const timings: Record<string, number> = {};

async function timed<T>(name: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await step();
  } finally {
    timings[name] = Date.now() - started;
  }
}

beforeAll(async () => {
  const nodesDir = join(repoRoot, 'packages', 'nodes');
  const editorDir = join(repoRoot, 'packages', 'editor');
  for (const built of [join(nodesDir, 'dist', 'index.js'), join(editorDir, 'dist', 'lib', 'plugin', 'index.js')])
    if (!existsSync(built)) throw new Error(`${built} is missing: build first (npm run build)`);

  work = await mkdtemp(join(tmpdir(), 'sa3-packed-plugin-'));
  const tarballs = join(work, 'tarballs');
  appDir = join(work, 'app');
  await mkdir(tarballs);
  await mkdir(join(appDir, 'src'), { recursive: true });

  [nodesPacked, editorPacked] = await timed('pack', async () => [await pack(nodesDir, tarballs), await pack(editorDir, tarballs)]);

  // The same versions the workspace is tested with.
  const lock = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const locked = (name: string): string => {
    const version = lock.packages[`node_modules/${name}`]?.version;
    if (!version) throw new Error(`${name} is not in package-lock.json`);
    return version;
  };
  const editorManifest = JSON.parse(await readFile(join(editorDir, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
  const peers = Object.keys(editorManifest.peerDependencies);
  await writeFile(
    join(appDir, 'package.json'),
    JSON.stringify(
      {
        name: 'another-rete-app',
        private: true,
        type: 'module',
        dependencies: {
          '@sa3/nodes': `file:${join(tarballs, nodesPacked.filename)}`,
          '@sa3/editor': `file:${join(tarballs, editorPacked.filename)}`,
          ...Object.fromEntries(peers.map((name) => [name, locked(name)])),
        },
        devDependencies: Object.fromEntries(APP_DEV_DEPENDENCIES.map((name) => [name, locked(name)])),
      },
      null,
      2,
    ),
  );
  await writeFile(join(appDir, 'index.html'), INDEX_HTML);
  await writeFile(join(appDir, 'vite.config.ts'), VITE_CONFIG);
  await writeFile(join(appDir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  await writeFile(join(appDir, 'src', 'main.tsx'), MAIN_TSX);

  // The user's npm cache is shared, so a second run installs from it.
  await timed('install', () => npm(appDir, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']));
  await timed('typecheck', () => bin(appDir, 'tsc', ['-p', 'tsconfig.json']));
  await timed('build', () => bin(appDir, 'vite', ['build', '--logLevel', 'warn']));
  site = await serve(join(appDir, 'dist'));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (site ? site.server.close(done) : done(undefined)));
  if (work) await rm(work, { recursive: true, force: true });
  console.log(
    `packed plugin: ${Object.entries(timings)
      .map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)}s`)
      .join(', ')}`,
  );
});

describe('the packed plugin in another Vite + React app', () => {
  it('packs the built library and its types, not the app or the sources of the app', () => {
    const editorFiles = editorPacked.files.map((f) => f.path);
    expect(editorFiles).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'dist/lib/plugin/index.js', 'dist/lib/plugin/index.d.ts', 'dist/lib/workflow-json/index.d.ts']),
    );
    expect(editorFiles.filter((f) => f.startsWith('src/app/') || f === 'dist/index.html' || f.startsWith('dist/assets/'))).toEqual([]);
    const nodesFiles = nodesPacked.files.map((f) => f.path);
    expect(nodesFiles).toEqual(expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts']));
  });

  it('installs from the tarballs outside the workspace, builds with Vite and renders our nodes, sockets and wires in Chromium', async () => {
    // Installed from the tarballs, not linked to the workspace.
    const installed = JSON.parse(await readFile(join(appDir, 'node_modules', '@sa3', 'editor', 'package.json'), 'utf8')) as { private?: boolean };
    expect(installed.private).toBeUndefined();
    expect((await stat(join(appDir, 'node_modules', '@sa3', 'nodes'))).isDirectory()).toBe(true);
    expect(existsSync(join(appDir, 'node_modules', '@sa3', 'editor', 'node_modules', '@sa3', 'nodes'))).toBe(false);

    const context = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await context.route(
      (url) => !url.href.startsWith(site!.url),
      (route) => {
        errors.push(`request to another origin: ${route.request().url()}`);
        return route.abort();
      },
    );
    await page.goto(site!.url + '/');
    await page.waitForFunction(() => document.body.dataset.ready === 'true' || document.body.dataset.failed !== undefined);
    expect(await page.evaluate(() => document.body.dataset.failed ?? null)).toBeNull();

    const nodes = page.locator('[data-testid="sa3-node"]');
    await expect.poll(() => nodes.count()).toBe(3);
    expect(await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-type')))).toEqual([...NODE_TYPES]);
    for (const type of NODE_TYPES) {
      const definition = getNodeDefinition(type)!;
      const card = page.locator(`[data-testid="sa3-node"][data-node-type="${type}"]`);
      expect(await card.locator('.title').textContent()).toBe(definition.title);
      const ports = Object.keys(definition.inputs).length + Object.keys(definition.outputs).length;
      expect(await card.locator('[data-testid="port"] [data-testid="socket-dot"]').count()).toBe(ports);
    }
    expect(await page.locator('[data-node-id="generate"] [data-testid="port"][data-side="input"][data-key="prompt"] [data-kind="conditioning"]').count()).toBe(
      1,
    );
    expect(await page.locator('[data-node-id="generate"] [data-param="duration"] input[type="range"]').count()).toBe(1);
    expect(await page.locator('[data-node-id="prompt"] [data-param="text"] textarea').count()).toBe(1);
    expect(await page.locator('[data-testid="connection"][data-from="prompt.conditioning"][data-to="generate.prompt"]').count()).toBe(1);
    expect(await page.locator('[data-testid="connection"][data-from="generate.audio"][data-to="save.audio"]').count()).toBe(1);

    const host = (await page.evaluate(() => (window as unknown as { host: unknown }).host)) as {
      workflow?: { nodes: { id: string; type: string }[]; connections: unknown[] };
      refused: string[];
    };
    expect(host.workflow?.nodes.map((n) => n.type)).toEqual([...NODE_TYPES]);
    expect(host.workflow?.connections).toHaveLength(2);
    expect(host.refused).toEqual([]);
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'packed-plugin.png') });
    expect(errors).toEqual([]);
    await context.close();
  });
});
