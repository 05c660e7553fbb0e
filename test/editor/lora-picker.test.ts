import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { writeDemoLora } from '../helpers/lora-demo.js';
import { node, openEditor, screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';

let session: EditorSession;
const sha256 = new Map<string, string>();
const bytes = new Map<string, number>();
beforeAll(async () => {
  session = await startEditorSession();
  const dir = join(session.server.home, 'loras');
  await mkdir(dir, { recursive: true });
  for (const name of ['warm', 'bright'] as const) {
    const path = await writeDemoLora(dir, name);
    const content = await readFile(path);
    sha256.set(name, createHash('sha256').update(content).digest('hex'));
    bytes.set(name, content.length);
  }
});
afterAll(async () => session?.close());

const field = (page: Page, param: string) => node(page, 'warm').locator(`[data-param="${param}"] input[type="text"]`);

describe('the LoRA file field', () => {
  it('GET /api/loras lists the installed files with their sha256, rank and type', async () => {
    const { status, body } = await session.server.request('/api/loras');
    expect(status).toBe(200);
    expect(body).toEqual([
      { name: 'bright', bytes: bytes.get('bright'), sha256: sha256.get('bright'), adapterType: 'lora', rank: 8 },
      { name: 'warm', bytes: bytes.get('warm'), sha256: sha256.get('warm'), adapterType: 'lora', rank: 4 },
    ]);
  });

  it('offers the installed files, records the sha256 of the one chosen, and undo takes both back', async () => {
    const { page, errors } = await openEditor(session);
    await page.locator('[data-testid="open-gallery"]').click();
    await page.locator('[data-testid="gallery-item"][data-file="lora-stack.json"]').click();
    await node(page, 'warm').waitFor();
    const options = await node(page, 'warm')
      .locator('datalist option')
      .evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value));
    expect(options).toEqual(['bright', 'warm']);
    await expect
      .poll(() => node(page, 'warm').locator('[data-testid="lora-note"]').textContent())
      .toBe(`installed: lora, rank 4, sha256 ${sha256.get('warm')!.slice(0, 8)}…`);

    await field(page, 'file').fill('bright');
    await expect.poll(() => field(page, 'sha256').inputValue()).toBe(sha256.get('bright'));
    expect(await node(page, 'warm').locator('[data-testid="lora-note"]').textContent()).toBe(
      `installed: lora, rank 8, sha256 ${sha256.get('bright')!.slice(0, 8)}…`,
    );
    await screenshot(page, 'lora-picker');

    // A path that is not installed keeps the recorded hash (the run checks it) and lists what is installed.
    await field(page, 'file').fill('adapters/other.safetensors');
    expect(await node(page, 'warm').locator('[data-testid="lora-note"]').textContent()).toBe('2 installed: bright, warm');
    expect(await field(page, 'sha256').inputValue()).toBe(sha256.get('bright'));

    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // Undo steps back through the edits (the history groups edits made together) to the file and hash the example had.
    const state = async (): Promise<string> => `${await field(page, 'file').inputValue()} ${await field(page, 'sha256').inputValue()}`;
    for (let i = 0; i < 3 && (await field(page, 'file').inputValue()) !== 'warm'; i++) {
      const before = await state();
      await page.keyboard.press('Control+z');
      await expect.poll(state).not.toBe(before);
    }
    expect(await field(page, 'file').inputValue()).toBe('warm');
    expect(await field(page, 'sha256').inputValue()).toBe(sha256.get('warm'));
    expect(errors).toEqual([]);
  });

  it('a LoRA file installed while the page is open is offered once the page is back in front', async () => {
    const { page, errors } = await openEditor(session);
    await page.locator('[data-testid="open-gallery"]').click();
    await page.locator('[data-testid="gallery-item"][data-file="lora-stack.json"]').click();
    await node(page, 'warm').waitFor();
    const offered = () =>
      node(page, 'warm')
        .locator('datalist option')
        .evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value));
    await expect.poll(offered).toEqual(['bright', 'warm']);
    await copyFile(join(session.server.home, 'loras', 'warm.safetensors'), join(session.server.home, 'loras', 'warm-copy.safetensors'));
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect.poll(offered).toEqual(['bright', 'warm', 'warm-copy']);
    await rm(join(session.server.home, 'loras', 'warm-copy.safetensors'));
    expect(errors).toEqual([]);
  });
});
