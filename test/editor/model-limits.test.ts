import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueEntry } from '@sa3/runtime';
import { startPublishedHub, type PublishedHub } from '../helpers/published-hub.js';
import { node, openEditor, screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';

const SMALL_MUSIC_SECONDS = catalogueEntry('small-music').maxSamples / 44_100;

let published: PublishedHub;
let session: EditorSession;

beforeAll(async () => {
  published = await startPublishedHub('small-music');
  session = await startEditorSession();
});

afterAll(async () => {
  await session?.close();
  await published?.close();
});

describe('model-aware controls', () => {
  it('the Pull button installs a pack from the hub with progress; a duration beyond the selected pack is marked before Run', async () => {
    const { page, errors } = await openEditor(session);
    await page.locator('[data-testid="open-gallery"]').click();
    await page.locator('[data-testid="gallery-item"][data-file="text-to-audio.json"]').click();
    await node(page, 'generate').waitFor();

    await page.locator('[data-testid="open-models"]').click();
    const row = page.locator('[data-testid="catalogue-row"][data-id="small-music"]');
    expect(await row.getAttribute('data-status')).toBe('pullable');
    // Every state the progress shows, from the first.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { pullSeen: string[] }).pullSeen = seen;
      new MutationObserver(() => {
        const progress = document.querySelector('[data-testid="catalogue-row"][data-id="small-music"] [data-testid="pull-progress"]');
        if (!progress) return;
        const entry = `${progress.getAttribute('data-status')}|${progress.textContent}`;
        if (seen.at(-1) !== entry) seen.push(entry);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await row.locator('[data-testid="pull"]').click();
    await row.locator('[data-testid="pull-progress"][data-status="installed"]').waitFor({ timeout: 120_000 });
    expect(await row.locator('[data-testid="pull-progress"]').getAttribute('data-fraction')).toBe('1.000');
    expect(await row.locator('[data-testid="pull-phase"]').textContent()).toBe('installed');
    const seen = await page.evaluate(() => (window as unknown as { pullSeen: string[] }).pullSeen);
    expect(seen[0]).toMatch(/^running\|/);
    expect(seen.at(-1)).toBe('installed|installed');
    await page.locator('[data-testid="model-row"][data-id="small-music"]').waitFor();
    expect(await page.locator('[data-testid="model-row"][data-id="small-music"] td').nth(3).textContent()).toBe(`${Math.round(SMALL_MUSIC_SECONDS)} s`);
    await screenshot(page, 'model-pulled');
    await page.locator('[data-testid="modal-close"]').click();

    const generate = node(page, 'generate');
    const model = generate.locator('[data-param="model"] select');
    expect(await model.locator('option[value="small-music"]').textContent()).toBe('small-music (up to 120 s)');
    expect(await model.locator('option[value="auto"]').textContent()).toBe('auto (medium, up to 380 s)');
    await model.selectOption('small-music');
    const duration = generate.locator('[data-param="duration"]');
    expect(Number(await duration.locator('input[type="range"]').getAttribute('max'))).toBeCloseTo(SMALL_MUSIC_SECONDS, 6);
    await duration.locator('input[type="number"]').fill('200');
    expect(await duration.getAttribute('data-invalid')).toBe('true');
    expect(await duration.locator('[data-testid="param-error"]').textContent()).toBe('Duration is 200 s, above the 120 s the "small-music" pack makes');
    expect(await generate.getAttribute('data-status')).toBe('idle');
    await screenshot(page, 'model-limit-marked');

    // Within the pack, or on a pack that reaches further, the mark goes.
    await duration.locator('input[type="number"]').fill('100');
    expect(await duration.getAttribute('data-invalid')).toBe('false');
    await duration.locator('input[type="number"]').fill('200');
    await model.selectOption('auto');
    expect(await duration.getAttribute('data-invalid')).toBe('false');
    expect(errors).toEqual([]);
  });

  it('with no pack installed, a banner says so on load with the command to get one', async () => {
    await rm(join(session.server.home, 'packs'), { recursive: true, force: true });
    const { page, errors } = await openEditor(session);
    const banner = page.locator('[data-testid="no-pack-banner"]');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(
      'No model pack is installed on the server, so nodes that generate cannot run. Get one with sa3 models pull small-music',
    );
    await screenshot(page, 'no-pack-banner');
    await banner.locator('[data-testid="banner-open-models"]').click();
    await page.locator('[data-testid="models-panel"] [data-testid="no-packs"]').waitFor();
    expect(errors).toEqual([]);
  });
});
