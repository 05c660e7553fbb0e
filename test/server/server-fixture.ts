import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EditRequest, Engine, EngineCallContext, GenerateRequest, InpaintRequest } from '@sa3/nodes';
import { LoraLibrary, PackLocator, Sa3Engine, defaultServerOptions, startServer, type Sa3Server, type ServerOptions } from '@sa3/runtime';
import { writeTestPack } from '@sa3/runtime/testpack';
import { examplesDir } from '../helpers/paths.js';

/**
 * A Stable Audio 3 engine on test packs whose sampling can be held at a gate, so tests decide
 * exactly when model work proceeds (cancel mid-run, fill a queue) without timing anything.
 */
export class GatedEngine implements Engine {
  readonly device = 'cpu';
  calls = 0;
  private gate: Promise<void> = Promise.resolve();
  private openGate: () => void = () => undefined;
  /** Resolves each time a sampling call reaches the gate. */
  private arrivals: (() => void)[] = [];

  constructor(readonly inner: Sa3Engine) {}

  close(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  open(): void {
    this.openGate();
    this.gate = Promise.resolve();
  }

  /** Waits until a sampling call is held at (or passes) the gate. */
  arrival(): Promise<void> {
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  private async pass(ctx: EngineCallContext): Promise<void> {
    this.calls++;
    this.arrivals.shift()?.();
    await Promise.race([this.gate, new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }))]);
  }

  packHash(model: string) {
    return this.inner.packHash(model);
  }
  encodePrompt(text: string, model: string, ctx: EngineCallContext) {
    return this.inner.encodePrompt(text, model, ctx);
  }
  loraFile(file: string) {
    return this.inner.loraFile(file);
  }
  async generate(request: GenerateRequest, ctx: EngineCallContext) {
    await this.pass(ctx);
    return this.inner.generate(request, ctx);
  }
  async edit(request: EditRequest, ctx: EngineCallContext) {
    await this.pass(ctx);
    return this.inner.edit(request, ctx);
  }
  async inpaint(request: InpaintRequest, ctx: EngineCallContext) {
    await this.pass(ctx);
    return this.inner.inpaint(request, ctx);
  }
}

export interface TestServer {
  readonly server: Sa3Server;
  readonly engine: GatedEngine;
  readonly url: string;
  readonly home: string;
  /** Sends a request; `body` is the answer parsed as JSON when it is JSON, else its text. */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<{ status: number; body: unknown; headers: Headers }>;
}

/** A real server on 127.0.0.1 (random port) over test packs installed under the real ids. */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const home = await mkdtemp(join(tmpdir(), 'sa3-server-'));
  await writeTestPack(join(home, 'packs', 'medium'), { id: 'medium', objective: 'rf_denoiser', layout: 'baked', family: 'medium' });
  const locator = new PackLocator([join(home, 'packs')]);
  // LoRA files by path inside the served folder or by name under this home's loras/, as a confined server finds them.
  const loras = new LoraLibrary(join(home, 'loras'));
  const engine = new GatedEngine(
    new Sa3Engine({
      packs: locator,
      log: () => undefined,
      loraCacheDir: join(home, 'cache', 'lora'),
      loras: { resolve: (file) => loras.resolve(file, { baseDir: examplesDir, confine: true }) },
    }),
  );
  const previousHome = process.env.SA3_HOME;
  process.env.SA3_HOME = home; // the server's own pack checks (health, /api/models) look here
  const server = await startServer({
    ...defaultServerOptions(),
    port: 0,
    outputDir: join(home, 'outputs'),
    uploadDir: join(home, 'uploads'),
    filesDir: examplesDir,
    engine,
    log: () => undefined,
    ...options,
  });
  if (previousHome === undefined) delete process.env.SA3_HOME;
  else process.env.SA3_HOME = previousHome;
  const request: TestServer['request'] = async (path, init = {}) => {
    const { json, ...rest } = init;
    const response = await fetch(server.url + path, {
      ...rest,
      ...(json !== undefined
        ? { body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...(rest.headers as Record<string, string>) } }
        : {}),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: response.status, body, headers: response.headers };
  };
  return { server, engine, url: server.url, home, request };
}

export function decodeDataUri(uri: string): Buffer {
  const match = /^data:[^;,]+;base64,(.*)$/s.exec(uri);
  if (!match) throw new Error(`not a base64 data URI: ${uri.slice(0, 40)}`);
  return Buffer.from(match[1]!, 'base64');
}
