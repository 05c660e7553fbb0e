import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { writeTestPack } from '@sa3/runtime/testpack';
import { installLoraDemo } from '../helpers/lora-demo.js';
import { examplesDir } from '../helpers/paths.js';
import { node, openEditor, screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';
import { cardGeometry, settled, type CardGeometry } from './card-geometry.js';

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession();
  // The base-model example names its pack.
  await writeTestPack(join(session.server.home, 'packs', 'small-music-base'), { id: 'small-music-base', objective: 'rectified_flow', layout: 'explicit' });
  // The LoRA example names a converted pack and LoRA files (its model select then lists the pack).
  await installLoraDemo({ SA3_HOME: session.server.home });
});
afterAll(async () => session?.close());

const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

async function openExample(page: Page, file: string): Promise<void> {
  await page.locator('[data-testid="open-gallery"]').click();
  await page.locator(`[data-testid="gallery-item"][data-file="${file}"]`).click();
  await page.locator('[data-testid="gallery"]').waitFor({ state: 'detached' });
  const expected = (JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as { nodes: unknown[] }).nodes.length;
  await expect.poll(() => page.locator('[data-testid="sa3-node"]').count()).toBe(expected);
  await settled(page);
}

function expectReadable(geometry: CardGeometry): void {
  expect(geometry.overlaps).toEqual([]);
  expect(geometry.outside).toEqual([]);
  expect(geometry.zoom).toBeGreaterThanOrEqual(0.6);
}

describe('the canvas never hides a control', () => {
  it.each(examples)('%s opens, arranges and runs with no card over another and every control inside its card', async (file) => {
    const { page, errors } = await openEditor(session);
    const name = file.replace(/\.json$/, '');
    await openExample(page, file);
    const opened = await cardGeometry(page);
    await screenshot(page, `layout-${name}-opened`);
    expect(opened.cards).toBeGreaterThan(1);
    expectReadable(opened);

    await page.locator('[data-testid="arrange"]').click();
    await settled(page);
    await screenshot(page, `layout-${name}-arranged`);
    expectReadable(await cardGeometry(page));

    await page.locator('[data-testid="run"]').click();
    await page.locator('[data-testid="run"]').waitFor(); // back when the run has ended
    expect(await page.locator('[data-testid="run-status"]').textContent()).toBe('last run succeeded');
    await page.locator('[data-testid="node-audio"]').first().waitFor();
    await settled(page);
    await screenshot(page, `layout-${name}-ran`);
    expectReadable(await cardGeometry(page));
    expect(errors).toEqual([]);
  });

  it('a field focused on a card out of view pans the canvas instead of scrolling it', async () => {
    const { page } = await openEditor(session);
    await openExample(page, 'extend-twice.json');
    // Drag the canvas until the save node is far off to the right.
    const canvas = (await page.locator('[data-testid="canvas"]').boundingBox())!;
    await page.mouse.move(canvas.x + 40, canvas.y + canvas.height - 40);
    await page.mouse.down();
    await page.mouse.move(canvas.x + canvas.width - 40, canvas.y + canvas.height - 40, { steps: 8 });
    await page.mouse.up();
    const field = node(page, 'save').locator('[data-param="filename"] input');
    const before = (await field.boundingBox())!;
    expect(before.x).toBeGreaterThan(canvas.x + canvas.width);

    await field.focus();
    await settled(page);
    const scroll = await page.locator('[data-testid="canvas"]').evaluate((c) => [c.scrollLeft, c.scrollTop]);
    expect(scroll).toEqual([0, 0]);
    const after = (await field.boundingBox())!;
    expect(after.x).toBeGreaterThanOrEqual(canvas.x);
    expect(after.x + after.width).toBeLessThanOrEqual(canvas.x + canvas.width);
    await screenshot(page, 'layout-focus-panned');

    // Fit still frames the whole graph: every card inside the canvas.
    await page.locator('[data-testid="fit"]').click();
    await settled(page);
    const boxes = await page.locator('[data-testid="sa3-node"]').evaluateAll((cards) => cards.map((c) => c.getBoundingClientRect().toJSON() as DOMRect));
    for (const box of boxes) {
      expect(box.left).toBeGreaterThanOrEqual(canvas.x);
      expect(box.right).toBeLessThanOrEqual(canvas.x + canvas.width);
    }
  });
});
