import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeCatalogue } from '@sa3/nodes';
import { node, openEditor, screenshot, socket, startEditorSession, type EditorSession } from './browser-fixture.js';
import { settled } from './card-geometry.js';

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession();
});
afterAll(async () => session?.close());

function wires(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="connection"]:not([data-pseudo])')]
      .map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')}`)
      .sort(),
  );
}

/** The types the finder offers, in order. */
function offered(page: Page) {
  return page.locator('[data-testid="node-finder-item"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-type')));
}

/** Whether a card is wholly inside the canvas. */
async function wholeInCanvas(page: Page, id: string): Promise<boolean> {
  const canvas = (await page.locator('[data-testid="canvas"]').boundingBox())!;
  const card = (await node(page, id).boundingBox())!;
  return card.x >= canvas.x && card.y >= canvas.y && card.x + card.width <= canvas.x + canvas.width && card.y + card.height <= canvas.y + canvas.height;
}

/** Draws a wire from a port and lets it go on empty canvas at a point of the page. */
async function dropWire(page: Page, from: [string, 'input' | 'output', string], to: { x: number; y: number }): Promise<void> {
  const dot = (await socket(page, from[0], from[1], from[2]).boundingBox())!;
  await page.mouse.move(dot.x + dot.width / 2, dot.y + dot.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

describe('adding nodes without the palette', () => {
  it('builds Prompt -> Generate -> Save from the double-click search and wires let go on the canvas, and runs it', async () => {
    const { page, errors } = await openEditor(session);
    const canvas = (await page.locator('[data-testid="canvas"]').boundingBox())!;

    // Double-click on empty canvas: the search box opens there, typing filters, Enter adds.
    const at = { x: canvas.x + 120, y: canvas.y + 160 };
    await page.mouse.dblclick(at.x, at.y);
    await page.locator('[data-testid="node-finder"]').waitFor();
    expect(await offered(page)).toEqual(nodeCatalogue.map((d) => d.type));
    await page.keyboard.type('prom');
    expect(await offered(page)).toEqual(['sa3.prompt']);
    await page.keyboard.press('Enter');
    await node(page, 'prompt').waitFor();
    expect(await page.locator('[data-testid="node-finder"]').count()).toBe(0);
    const card = (await node(page, 'prompt').boundingBox())!;
    expect(Math.abs(card.x - at.x)).toBeLessThan(2);
    expect(Math.abs(card.y - at.y)).toBeLessThan(2);
    await node(page, 'prompt').locator('[data-param="text"] textarea').fill('a calm synth pad');

    // Escape closes the search box and adds nothing.
    await page.mouse.dblclick(canvas.x + 700, canvas.y + 500);
    await page.locator('[data-testid="node-finder"]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="node-finder"]').waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="sa3-node"]').count()).toBe(1);

    // A conditioning wire let go on the canvas: only the types with a conditioning input, then a click adds and wires one.
    await dropWire(page, ['prompt', 'output', 'conditioning'], { x: canvas.x + 520, y: canvas.y + 140 });
    await page.locator('[data-testid="node-finder"]').waitFor();
    const takingConditioning = nodeCatalogue.filter((d) => Object.values(d.inputs).some((i) => i.type === 'conditioning')).map((d) => d.type);
    expect(await offered(page)).toEqual(takingConditioning);
    expect(takingConditioning).toContain('sa3.generate');
    expect(takingConditioning).not.toContain('audio.save');
    await page.locator('[data-testid="node-finder-item"][data-type="sa3.generate"]').click();
    await node(page, 'generate').waitFor();
    expect(await wires(page)).toEqual(['prompt.conditioning>generate.prompt']);
    await node(page, 'generate').locator('[data-param="duration"] input[type="number"]').fill('2');

    // An audio wire let go near the right edge: the new Save lands wholly in view, wired.
    await settled(page);
    await dropWire(page, ['generate', 'output', 'audio'], { x: canvas.x + canvas.width - 60, y: canvas.y + 200 });
    await page.locator('[data-testid="node-finder"]').waitFor();
    const takingAudio = await offered(page);
    expect(takingAudio).toEqual(nodeCatalogue.filter((d) => Object.values(d.inputs).some((i) => i.type === 'audio')).map((d) => d.type));
    await page.keyboard.type('save');
    expect(await offered(page)).toEqual(['audio.save']);
    await page.keyboard.press('Enter');
    await node(page, 'save').waitFor();
    await settled(page);
    expect(await wires(page)).toEqual(['generate.audio>save.audio', 'prompt.conditioning>generate.prompt']);
    expect(await wholeInCanvas(page, 'save')).toBe(true);
    expect(await page.locator('[data-testid="palette-item"]').first().isVisible()).toBe(true); // the palette was there, unused
    await screenshot(page, 'adding-built-without-palette');

    await page.locator('[data-testid="run"]').click();
    await page.locator('[data-testid="run"]').waitFor();
    expect(await page.locator('[data-testid="run-status"]').textContent()).toBe('last run succeeded');
    expect(await page.locator('[data-testid="sa3-node"][data-status="done"]').count()).toBe(3);
    expect(errors).toEqual([]);
  });

  it('the right-click menu groups node types by category, stays in the window, and adds the node wholly in view', async () => {
    const { page } = await openEditor(session);
    const canvas = (await page.locator('[data-testid="canvas"]').boundingBox())!;
    const viewport = page.viewportSize()!;
    // Near the bottom-right corner, where a menu placed at the pointer would run off the window.
    await page.mouse.click(canvas.x + canvas.width - 20, canvas.y + canvas.height - 20, { button: 'right' });
    const menu = page.locator('[data-testid="context-menu"]');
    await menu.waitFor();
    const top = menu.locator(':scope > [data-testid="context-menu-item"]');
    const categories = [...new Set(nodeCatalogue.map((d) => d.category))];
    await expect.poll(() => top.allTextContents()).toEqual(categories);
    const last = categories.at(-1)!;
    await top.filter({ hasText: last }).hover();
    const sub = top.filter({ hasText: last }).locator('[data-testid="context-menu-item"]');
    const expectedTitles = nodeCatalogue.filter((d) => d.category === last).map((d) => d.title);
    await expect.poll(() => sub.allTextContents()).toEqual(expectedTitles);
    for (const box of [await menu.boundingBox(), await sub.last().boundingBox()]) {
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
      expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
    }
    await screenshot(page, 'adding-context-menu');
    const type = nodeCatalogue.find((d) => d.title === expectedTitles[0])!.type;
    await sub.first().click();
    const added = page.locator(`[data-testid="sa3-node"][data-node-type="${type}"]`);
    await added.waitFor();
    await settled(page);
    expect(await wholeInCanvas(page, (await added.getAttribute('data-node-id'))!)).toBe(true);
  });

  it('Ctrl+A selects every node, not the text of the page; in a text field it stays the field’s', async () => {
    const { page } = await openEditor(session);
    await page.locator('[data-testid="open-gallery"]').click();
    await page.locator('[data-testid="gallery-item"][data-file="text-to-audio.json"]').click();
    await node(page, 'save').waitFor();
    await page.locator('[data-testid="canvas"]').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+a');
    const count = await page.locator('[data-testid="sa3-node"]').count();
    await expect.poll(() => page.locator('[data-testid="sa3-node"][data-selected="true"]').count()).toBe(count);
    expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');

    await page.locator('[data-testid="canvas"]').click({ position: { x: 10, y: 10 } });
    await expect.poll(() => page.locator('[data-testid="sa3-node"][data-selected="true"]').count()).toBe(0);
    const text = node(page, 'prompt').locator('[data-param="text"] textarea');
    await text.click();
    await page.keyboard.press('Control+a');
    expect(await text.evaluate((t: HTMLTextAreaElement) => t.value.slice(t.selectionStart, t.selectionEnd))).toBe(await text.inputValue());
    expect(await page.locator('[data-testid="sa3-node"][data-selected="true"]').count()).toBe(0);
  });
});
