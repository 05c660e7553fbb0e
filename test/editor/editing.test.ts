import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { node, openEditor, screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession();
});
afterAll(async () => session?.close());

function graph(page: Page) {
  return page.evaluate(() => {
    const nodes = [...document.querySelectorAll('[data-testid="sa3-node"]')].map((e) => e.getAttribute('data-node-id')).sort();
    const wires = [...document.querySelectorAll('[data-testid="connection"]:not([data-pseudo])')]
      .map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')}`)
      .sort();
    return { nodes, wires };
  });
}

async function openExample(page: Page, file: string): Promise<void> {
  await page.locator('[data-testid="open-gallery"]').click();
  await page.locator(`[data-testid="gallery-item"][data-file="${file}"]`).click();
  await node(page, 'save').waitFor();
}

async function clickTitle(page: Page, id: string, modifiers: 'Control'[] = []): Promise<void> {
  await node(page, id).locator('.title').click({ modifiers });
}

describe('editing', () => {
  it('copy/paste and undo/redo round-trip a subgraph', async () => {
    const { page } = await openEditor(session);
    await openExample(page, 'text-to-audio.json');
    const before = await graph(page);

    await clickTitle(page, 'prompt');
    await clickTitle(page, 'generate', ['Control']);
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await node(page, 'prompt-2').waitFor();
    const pasted = await graph(page);
    expect(pasted.nodes).toEqual([...before.nodes, 'generate-2', 'prompt-2'].sort());
    expect(pasted.wires).toEqual([...before.wires, 'prompt-2.conditioning>generate-2.prompt'].sort());
    await screenshot(page, 'pasted');

    await page.keyboard.press('Control+z');
    await expect.poll(() => graph(page)).toEqual(before);
    await page.keyboard.press('Control+y');
    await expect.poll(() => graph(page)).toEqual(pasted);

    // Delete the pasted pair (still selected), then undo the delete.
    await page.keyboard.press('Delete');
    await expect.poll(() => graph(page)).toEqual(before);
    await page.keyboard.press('Control+z');
    await expect.poll(() => graph(page)).toEqual(pasted);
  });

  it('keeps the unsaved graph across a reload', async () => {
    const { page } = await openEditor(session);
    await page.locator('[data-testid="palette-item"][data-type="sa3.prompt"]').click();
    await node(page, 'prompt').locator('[data-param="text"] textarea').fill('rain on a tin roof');
    await page.locator('[data-testid="palette-item"][data-type="sa3.generate"]').click();
    await node(page, 'generate').locator('[data-param="duration"] input[type="number"]').fill('12');
    await page.waitForFunction(() => {
      const saved = localStorage.getItem('sa3-editor:autosave') ?? '';
      return saved.includes('rain on a tin roof') && saved.includes('"duration": 12');
    });
    await page.reload();
    await page.waitForSelector('.app[data-ready="true"]');
    expect((await graph(page)).nodes).toEqual(['generate', 'prompt']);
    expect(await node(page, 'prompt').locator('[data-param="text"] textarea').inputValue()).toBe('rain on a tin roof');
    expect(await node(page, 'generate').locator('[data-param="duration"] input[type="number"]').inputValue()).toBe('12');
    await screenshot(page, 'after-reload');
  });

  it('lists the installed model packs', async () => {
    const { page } = await openEditor(session);
    await page.locator('[data-testid="open-models"]').click();
    await page.locator('[data-testid="model-row"]').first().waitFor();
    expect(await page.locator('[data-testid="model-row"]').first().textContent()).toContain('medium');
  });
});
