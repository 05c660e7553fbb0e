import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { node, openEditor, screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession();
});
afterAll(async () => session?.close());

async function rowValues(rows: Locator): Promise<number[][]> {
  const values: number[][] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    values.push(
      (
        await rows
          .nth(i)
          .locator('input[type="number"]')
          .evaluateAll((inputs) => inputs.map((e) => (e as HTMLInputElement).value))
      ).map(Number),
    );
  }
  return values;
}

const savedRegions = (page: Page) =>
  page.evaluate(() => {
    const saved = JSON.parse(localStorage.getItem('sa3-editor:autosave') ?? '{}') as { nodes?: { id: string; params: { regions?: unknown } }[] };
    return saved.nodes?.find((n) => n.id === 'inpaint')?.params.regions;
  });

describe("the Inpaint node's regions", () => {
  it('lists one row per region; a row can be added after the last, edited and removed, and the workflow follows', async () => {
    const { page, errors } = await openEditor(session);
    await page.locator('[data-testid="open-gallery"]').click();
    await page.locator('[data-testid="gallery-item"][data-file="inpaint-two-regions.json"]').click();
    const inpaint = node(page, 'inpaint');
    const rows = inpaint.locator('[data-testid="region-row"]');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rowValues(rows)).toEqual([
      [0.5, 1.2],
      [2.4, 3.2],
    ]);

    await inpaint.locator('[data-testid="region-add"]').click();
    await expect.poll(() => rows.count()).toBe(3);
    expect((await rowValues(rows))[2]).toEqual([3.2, 4.2]);
    await rows.nth(2).locator('input[type="number"]').nth(1).fill('3.9');
    await rows.first().locator('[data-testid="region-remove"]').click();
    await expect.poll(() => rows.count()).toBe(2);
    await expect
      .poll(() => savedRegions(page))
      .toEqual([
        { start: 2.4, end: 3.2 },
        { start: 3.2, end: 3.9 },
      ]);
    await screenshot(page, 'inpaint-regions');
    expect(errors).toEqual([]);
  });
});
