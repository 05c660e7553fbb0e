import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { node, openEditor, screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession();
});
afterAll(async () => session?.close());

function seedField(page: Page) {
  return node(page, 'generate').locator('[data-param="seed"]');
}

async function runFinished(page: Page): Promise<void> {
  await expect.poll(() => page.locator('[data-testid="run-status"]').textContent()).toBe('last run succeeded');
}

/** The seed the run report lists for generate.seed. */
async function reportedSeed(page: Page): Promise<string> {
  await page.locator('[data-testid="open-report"]').click();
  await expect.poll(() => page.locator('[data-testid="report-status"]').textContent()).toBe('succeeded');
  const row = page.locator('[data-testid="report-seeds"] tr', { hasText: 'generate.seed' });
  const seed = (await row.locator('td').nth(1).textContent())!.trim();
  await page.locator('[data-testid="modal-close"]').click();
  return seed;
}

describe('the seed control', () => {
  it('a seed of -1 shows the seed the run used, "keep" puts it in the field, and increment moves it on after the next run', async () => {
    const { page, errors } = await openEditor(session);
    await page.locator('[data-testid="open-gallery"]').click();
    await page.locator('[data-testid="gallery-item"][data-file="text-to-audio.json"]').click();
    await node(page, 'save').waitFor();
    await node(page, 'generate').locator('[data-param="duration"] input[type="number"]').fill('2');
    await seedField(page).locator('button', { hasText: /^-1$/ }).click();
    await expect.poll(() => seedField(page).locator('input[type="number"]').inputValue()).toBe('-1');
    expect(await seedField(page).locator('[data-testid="seed-note"]').textContent()).toContain('random each run');

    await page.locator('[data-testid="run"]').click();
    await runFinished(page);
    const used = seedField(page).locator('[data-testid="seed-used"]');
    await used.waitFor();
    const shown = (await used.textContent())!;
    expect(shown).toMatch(/^\d+$/);
    expect(await seedField(page).locator('[data-testid="seed-note"]').textContent()).toContain(`used: ${shown}`);
    expect(await reportedSeed(page)).toBe(shown);
    await screenshot(page, 'seed-used');

    await seedField(page).locator('[data-testid="seed-keep"]').click();
    // The field takes the value on React's next render, not within the click.
    await expect.poll(() => seedField(page).locator('input[type="number"]').inputValue()).toBe(shown);
    await used.waitFor({ state: 'detached' });

    // Increment: the run uses the kept seed, then the field holds the next one.
    await seedField(page).locator('[data-testid="seed-mode"]').selectOption('increment');
    await page.locator('[data-testid="run"]').click();
    await expect.poll(() => seedField(page).locator('input[type="number"]').inputValue()).toBe(String(Number(shown) + 1));
    await runFinished(page);
    expect(await reportedSeed(page)).toBe(shown);
    await screenshot(page, 'seed-incremented');
    expect(errors).toEqual([]);
  });
});
