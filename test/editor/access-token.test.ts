import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeCatalogueSchema, parsePayload } from '@sa3/nodes';
import { screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';

const TOKEN = 'e2e-t0ken+with/odd=chars';

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession({ token: TOKEN });
});
afterAll(async () => session?.close());

async function paletteTypes(page: Page): Promise<number> {
  return page.locator('[data-testid="palette-item"]').count();
}

async function catalogueSize(): Promise<number> {
  const nodes = await session.server.request('/api/nodes', { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(nodes.status).toBe(200);
  return parsePayload(nodeCatalogueSchema, nodes.body, 'GET /api/nodes').length;
}

describe('an editor on a server started with --token', () => {
  it('takes the token from the printed #token= URL, hides it, and runs an example to audio', async () => {
    const { page, context, errors } = await session.newPage(`/#token=${encodeURIComponent(TOKEN)}`);
    await page.waitForSelector('.app[data-ready="true"][data-connection="connected"]');
    expect(page.url()).toBe(`${session.server.url}/`);
    expect(await paletteTypes(page)).toBe(await catalogueSize());
    expect(await page.locator('[data-testid="token-prompt"]').count()).toBe(0);

    await page.locator('[data-testid="open-models"]').click();
    await page.locator('[data-testid="model-row"]', { hasText: 'medium' }).waitFor();
    await page.locator('[data-testid="modal-close"]').click();

    await page.locator('[data-testid="open-gallery"]').click();
    await page.locator('[data-testid="gallery-item"][data-file="trim-fade-mp3.json"]').click();
    await expect.poll(() => page.locator('[data-testid="sa3-node"]').count()).toBe(5);
    await page.locator('[data-testid="run"]').click();
    await expect.poll(() => page.locator('[data-testid="run-status"]').textContent(), { timeout: 120_000 }).toBe('last run succeeded');
    await page.locator('[data-node-id="fade"] [data-testid="waveform"][data-drawn="true"]').waitFor();
    const played = await page.locator('[data-node-id="save"] [data-testid="node-audio"]').evaluate(async (audio: HTMLAudioElement) => {
      const bytes = await (await fetch(audio.src)).arrayBuffer();
      return { src: audio.src, seconds: (await new OfflineAudioContext(1, 1, 44_100).decodeAudioData(bytes)).duration };
    });
    expect(played.src.startsWith('blob:')).toBe(true);
    expect(Math.abs(played.seconds - 3)).toBeLessThan(0.06); // trimmed 0.5..3.5 s; MP3 pads by under a frame
    await screenshot(page, 'token-run-done');

    await page.locator('[data-testid="open-report"]').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="report-file"]').first().click()]);
    expect((await readFile(await download.path())).byteLength).toBeGreaterThan(1000);
    await page.locator('[data-testid="modal-close"]').click();

    const [saved] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="save"]').click()]);
    const stored = await page.evaluate(() => ({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) }));
    expect(await readFile(await saved.path(), 'utf8')).not.toContain(TOKEN);
    expect(stored.local).not.toContain(TOKEN);
    expect(stored.local).toContain('trim-fade-mp3');
    expect(stored.session).toContain(TOKEN);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('asks for the token when the page is opened without it, refuses a wrong one, and loads with the right one', async () => {
    const { page, errors } = await session.newPage('/');
    const prompt = page.locator('[data-testid="token-prompt"]');
    await prompt.waitFor();
    await page.waitForSelector('.app[data-connection="needs-token"]');
    expect(await page.locator('[data-testid="token-reason"]').textContent()).toBe('This server needs its access token (started with --token or SA3_TOKEN).');
    await screenshot(page, 'token-prompt');

    await page.locator('[data-testid="token-input"]').fill('not-the-token');
    await page.locator('[data-testid="token-submit"]').click();
    await expect.poll(() => page.locator('[data-testid="token-reason"]').textContent()).toContain('the one this tab sent was refused');

    await page.locator('[data-testid="token-input"]').fill(TOKEN);
    await page.locator('[data-testid="token-input"]').press('Enter');
    await page.waitForSelector('.app[data-connection="connected"]');
    expect(await prompt.count()).toBe(0);
    expect(await paletteTypes(page)).toBe(await catalogueSize());
    await page.locator('[data-testid="open-models"]').click();
    await page.locator('[data-testid="model-row"]', { hasText: 'medium' }).waitFor();
    expect(errors).toEqual([]);
  });
});
