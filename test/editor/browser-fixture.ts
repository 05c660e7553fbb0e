import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ServerOptions } from '@sa3/runtime';
import { repoRoot } from '../helpers/paths.js';
import { CHROMIUM_ARGS } from '../helpers/chromium-args.mjs';
import { startTestServer, type TestServer } from '../server/server-fixture.js';

export const screenshotDir = join(repoRoot, 'test-artifacts', 'screenshots');

export interface EditorSession {
  readonly server: TestServer;
  readonly browser: Browser;
  newPage(path?: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** The real server on test packs and a real headless Chromium, each page in a fresh profile. */
export async function startEditorSession(options: Partial<ServerOptions> = {}): Promise<EditorSession> {
  const server = await startTestServer(options);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  await mkdir(screenshotDir, { recursive: true });
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    async newPage(path = '/') {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // Nothing may come from outside the box: fail loudly on any other origin.
      await context.route(
        (url) => !url.href.startsWith(server.url) && !url.protocol.startsWith('data') && !url.protocol.startsWith('blob'),
        (route) => {
          errors.push(`request to another origin: ${route.request().url()}`);
          return route.abort();
        },
      );
      await page.goto(server.url + path);
      return { context, page, errors };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await server.server.close();
    },
  };
}

export async function openEditor(session: EditorSession): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const opened = await session.newPage('/');
  await opened.page.waitForSelector('.app[data-ready="true"]');
  return opened;
}

export function node(page: Page, id: string) {
  return page.locator(`[data-testid="sa3-node"][data-node-id="${id}"]`);
}

export function socket(page: Page, nodeId: string, side: 'input' | 'output', key: string) {
  return node(page, nodeId).locator(`[data-testid="port"][data-side="${side}"][data-key="${key}"] [data-testid="socket-dot"]`);
}

async function centre(locator: ReturnType<typeof node>): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a wire from an output socket to an input socket with the mouse. */
export async function dragWire(page: Page, from: [string, string], to: [string, string]): Promise<void> {
  const a = await centre(socket(page, from[0], 'output', from[1]));
  const b = await centre(socket(page, to[0], 'input', to[1]));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Opens the text-to-audio example from the gallery, 2 s long with a seed of -1: a quick take that differs on every run. */
export async function openQuickRandomTake(page: Page): Promise<void> {
  await page.locator('[data-testid="open-gallery"]').click();
  await page.locator('[data-testid="gallery-item"][data-file="text-to-audio.json"]').click();
  const generate = node(page, 'generate');
  await generate.waitFor();
  await generate.locator('[data-param="duration"] input[type="number"]').fill('2');
  await generate.locator('[data-param="seed"] button', { hasText: /^-1$/ }).click();
}
