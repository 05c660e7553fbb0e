import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { node, openEditor, openQuickRandomTake, screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession();
});
afterAll(async () => session?.close());

async function runOnce(page: Page): Promise<void> {
  await page.locator('[data-testid="run"]').click();
  await expect.poll(() => page.locator('[data-testid="run-status"]').textContent(), { timeout: 60_000 }).toBe('last run succeeded');
}

describe('the History panel', () => {
  it('lists takes with waveform, prompt, seed, length and time; downloads under the take name, pins, reuses a seed, compares two, deletes', async () => {
    const { page, errors } = await openEditor(session);
    await openQuickRandomTake(page);
    const generate = node(page, 'generate');
    await runOnce(page);
    await runOnce(page);

    // A reload brings the last run's players back on the nodes.
    await page.waitForFunction(() => document.querySelector('[data-testid="statusbar"]')?.textContent?.includes('kept in this browser'));
    await page.reload();
    await page.waitForSelector('.app[data-ready="true"]');
    await generate.locator('[data-testid="node-media"] [data-testid="waveform"][data-drawn="true"]').waitFor();
    expect(await generate.locator('[data-testid="media-duration"]').first().textContent()).toBe('2.00 s');
    await node(page, 'save').locator('[data-testid="node-media"] [data-testid="waveform"][data-drawn="true"]').waitFor();
    expect(await generate.getAttribute('data-status')).toBe('done');
    await screenshot(page, 'history-reload-players');

    await page.locator('[data-testid="open-history"]').click();
    const rows = page.locator('[data-testid="take-row"]');
    await expect.poll(() => rows.count()).toBe(2);
    const seeds = await rows.locator('[data-testid="take-seeds"]').allTextContents();
    expect(seeds.every((s) => /^generate\.seed \d+$/.test(s))).toBe(true);
    expect(new Set(seeds).size).toBe(2);
    expect(await rows.first().locator('[data-testid="take-prompt"]').textContent()).toBe(
      'Warm analog synth pad with a slow filter sweep, mid tempo, soft rain in the background',
    );
    expect(await rows.first().locator('[data-testid="take-duration"]').textContent()).toBe(' · 2.00 s');
    expect(await rows.first().locator('[data-testid="take-waveform"]').getAttribute('data-drawn')).toBe('true');
    expect(await rows.first().locator('[data-testid="take-time"]').textContent()).not.toBe('');

    const newest = rows.first();
    const seed = seeds[0]!.split(' ')[1]!;
    const download = page.waitForEvent('download');
    await newest.locator('[data-testid="take-download"]').click();
    expect((await download).suggestedFilename()).toBe(`text-to-audio-save-${seed}.mp3`);

    await newest.locator('[data-testid="take-pin"]').click();
    await expect.poll(() => newest.getAttribute('data-pinned')).toBe('true');

    await rows.nth(0).locator('[data-testid="take-pick"]').click();
    await rows.nth(1).locator('[data-testid="take-pick"]').click();
    const gains = page.locator('[data-testid="compare-gains"]');
    await expect.poll(() => gains.textContent()).toMatch(/^A at -?\d+\.\d dB, B at -?\d+\.\d dB, so both play at the same loudness$/);
    // The louder take is turned down, the quieter one plays as it is.
    const text = (await gains.textContent())!;
    expect(text).toContain('at 0.0 dB');
    await screenshot(page, 'history-panel');

    await newest.locator('[data-testid="take-use-seed"]').click();
    await page.locator('[data-testid="modal-close"]').click();
    await expect.poll(() => generate.locator('[data-param="seed"] input[type="number"]').inputValue()).toBe(seed);

    await page.locator('[data-testid="open-history"]').click();
    await expect.poll(() => rows.count()).toBe(2);
    await rows.nth(1).locator('[data-testid="take-delete"]').click();
    await expect.poll(() => rows.count()).toBe(1);
    await page.locator('[data-testid="modal-close"]').click();
    await page.locator('[data-testid="open-history"]').click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-pinned')).toBe('true');
    expect(errors).toEqual([]);
  });

  it('a corrupt entry and a pinned take whose file was deleted are each one sentence, and the other takes still play', async () => {
    const { page, errors } = await openEditor(session);
    await openQuickRandomTake(page);
    for (let i = 0; i < 3; i++) await runOnce(page);
    const listed = (await session.server.request('/api/history?limit=3')).body as { takes: { id: string }[] };
    const [fine, corrupt, pinned] = listed.takes.map((t) => t.id);
    const runs = join(session.server.home, 'runs');
    expect((await session.server.request(`/api/history/${pinned}/pin`, { method: 'POST', json: { pinned: true } })).status).toBe(200);
    for (const file of await readdir(join(runs, pinned!, 'outputs'), { recursive: true }))
      if (file.endsWith('.mp3')) await rm(join(runs, pinned!, 'outputs', file));
    await writeFile(join(runs, corrupt!, 'run.json'), '{"id": ');

    await page.locator('[data-testid="open-history"]').click();
    const row = (id: string) => page.locator(`[data-testid="take-row"][data-id="${id}"]`);
    await row(fine!).waitFor();
    expect(await row(corrupt!).locator('[data-testid="take-problem"]').textContent()).toMatch(
      new RegExp(`^run ${corrupt} has a corrupt record .*run\\.json \\(.*\\); delete the run or restore the file$`),
    );
    expect(await row(pinned!).locator('[data-testid="take-problem"]').textContent()).toMatch(
      /^text-to-audio-save-\d+\.mp3 is missing from the run store \(.*\), although the take is pinned$/,
    );
    expect(await row(pinned!).locator('[data-testid="take-play"]').count()).toBe(0);
    expect(await row(fine!).locator('[data-testid="take-problem"]').count()).toBe(0);
    await row(fine!).locator('[data-testid="take-play"]').click();
    await row(fine!).locator('[data-testid="take-audio"]').waitFor();
    await screenshot(page, 'history-bad-entries');
    // Deleting the corrupt entry clears it.
    await row(corrupt!).locator('[data-testid="take-delete"]').click();
    await row(corrupt!).waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });
});
