import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download } from 'playwright-core';
import { node, openEditor, openQuickRandomTake, screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession();
});
afterAll(async () => session?.close());

async function runStatus(id: string): Promise<string> {
  return ((await session.server.request(`/api/runs/${id}`)).body as { status: string }).status;
}

async function bytesOf(download: Promise<Download>): Promise<Buffer> {
  return readFile(await (await download).path());
}

/** A batch of 3 quick takes whose first holds in the gated engine until the test opens it. */
async function startHeldBatchOfThree(): Promise<Awaited<ReturnType<typeof openEditor>>> {
  const opened = await openEditor(session);
  const { page } = opened;
  await openQuickRandomTake(page);
  await page.locator('[data-testid="batch-count"]').selectOption('3');
  session.server.engine.close();
  const arrived = session.server.engine.arrival();
  await page.locator('[data-testid="run"]').click();
  await arrived;
  await expect.poll(() => page.locator('[data-testid="cancel"]').textContent()).toBe('Cancel 1/3');
  return opened;
}

describe('Run xN and the queue panel', () => {
  it('a batch of 4 leaves four takes with four seeds, the node shows the seed each used, and a take reruns to the same bytes', async () => {
    const { page, errors } = await openEditor(session);
    await openQuickRandomTake(page);
    const batchCount = page.locator('[data-testid="batch-count"]');
    await batchCount.selectOption('4');
    // The count is the browser's, not the workflow's: it survives a reload.
    await page.reload();
    await page.waitForSelector('.app[data-ready="true"]');
    expect(await batchCount.inputValue()).toBe('4');

    await page.locator('[data-testid="run"]').click();
    await expect.poll(() => page.locator('[data-testid="cancel"]').textContent()).toMatch(/^Cancel [1-4]\/4$/);
    await page.locator('[data-testid="run"]').waitFor({ timeout: 120_000 });
    expect(await page.locator('[data-testid="run-status"]').textContent()).toBe('last run succeeded');

    await page.locator('[data-testid="open-history"]').click();
    const rows = page.locator('[data-testid="take-row"]');
    await expect.poll(() => rows.count()).toBe(4);
    const seeds = await rows.locator('[data-testid="take-seeds"]').allTextContents();
    expect(seeds.every((s) => /^generate\.seed \d+$/.test(s))).toBe(true);
    expect(new Set(seeds).size).toBe(4);
    const newestSeed = seeds[0]!.split(' ')[1]!;
    await screenshot(page, 'run-batch-history');
    await page.locator('[data-testid="modal-close"]').click();
    // The node followed each take in turn and ends on the last one's seed.
    const seedField = node(page, 'generate').locator('[data-param="seed"]');
    expect(await seedField.locator('[data-testid="seed-used"]').textContent()).toBe(newestSeed);
    expect(await seedField.locator('[data-testid="seed-note"]').textContent()).toContain(`used: ${newestSeed}`);

    // "use this seed" on a take, then a single Run: the same file, byte for byte.
    await page.locator('[data-testid="open-history"]').click();
    const take = rows.nth(2);
    const takeSeed = (await take.locator('[data-testid="take-seeds"]').textContent())!.split(' ')[1]!;
    const original = await bytesOf(Promise.all([page.waitForEvent('download'), take.locator('[data-testid="take-download"]').click()]).then(([d]) => d));
    await take.locator('[data-testid="take-use-seed"]').click();
    await page.locator('[data-testid="modal-close"]').click();
    await expect.poll(() => seedField.locator('input[type="number"]').inputValue()).toBe(takeSeed);
    await batchCount.selectOption('1');
    await page.locator('[data-testid="run"]').click();
    await expect.poll(() => page.locator('[data-testid="run-status"]').textContent(), { timeout: 60_000 }).toBe('last run succeeded');
    await page.locator('[data-testid="open-history"]').click();
    await expect.poll(() => rows.count()).toBe(5);
    expect(await rows.first().locator('[data-testid="take-seeds"]').textContent()).toBe(`generate.seed ${takeSeed}`);
    const rerun = await bytesOf(Promise.all([page.waitForEvent('download'), rows.first().locator('[data-testid="take-download"]').click()]).then(([d]) => d));
    expect(original.length).toBeGreaterThan(1000);
    expect(rerun.equals(original)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('the queue panel lists a held batch of 3, cancels one of them (shown cancelled), and the other two finish', async () => {
    const { page, errors } = await startHeldBatchOfThree();
    await expect.poll(() => page.locator('[data-testid="open-queue"]').textContent()).toBe('Queue (3)');

    await page.locator('[data-testid="open-queue"]').click();
    const rows = page.locator('[data-testid="queue-row"]');
    await expect.poll(() => rows.locator('[data-testid="queue-status"]').allTextContents()).toEqual(['running', 'queued', 'queued']);
    const ids = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-id')!));
    const middle = page.locator(`[data-testid="queue-row"][data-id="${ids[1]}"]`);
    await middle.locator('[data-testid="queue-cancel"]').click();
    await expect.poll(() => middle.locator('[data-testid="queue-status"]').textContent()).toBe('cancelled');
    expect(await middle.locator('[data-testid="queue-cancel"]').isDisabled()).toBe(true);
    await screenshot(page, 'run-batch-queue');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="queue-panel"]').waitFor({ state: 'detached' });

    session.server.engine.open();
    await page.locator('[data-testid="run"]').waitFor({ timeout: 120_000 });
    expect(await Promise.all(ids.map(runStatus))).toEqual(['succeeded', 'cancelled', 'succeeded']);
    await expect.poll(() => page.locator('[data-testid="open-queue"]').textContent()).toBe('Queue (0)');
    await page.locator('[data-testid="open-queue"]').click();
    expect(await page.locator('[data-testid="queue-panel"]').textContent()).toContain('Nothing is waiting or running.');
    expect(errors).toEqual([]);
  });

  it('Cancel during a held batch cancels the take running and the ones still waiting', async () => {
    const { page, errors } = await startHeldBatchOfThree();
    const ids = ((await session.server.request('/api/runs')).body as { id: string; status: string }[])
      .filter((run) => run.status === 'queued' || run.status === 'running')
      .map((run) => run.id);
    expect(ids).toHaveLength(3);
    await page.locator('[data-testid="cancel"]').click();
    await page.locator('[data-testid="run"]').waitFor({ timeout: 60_000 });
    session.server.engine.open();
    expect(await page.locator('[data-testid="run-status"]').textContent()).toBe('last run cancelled');
    expect(await Promise.all(ids.map(runStatus))).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(errors).toEqual([]);
  });
});
