import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dragWire, node, openEditor, screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession();
});
afterAll(async () => session?.close());

async function addFromContextMenu(page: Page, category: string, label: string, at: { x: number; y: number }): Promise<void> {
  await page.mouse.click(at.x, at.y, { button: 'right' });
  await page.locator('[data-testid="context-menu-item"]', { hasText: new RegExp(`^${category}`) }).hover();
  await page.locator('[data-testid="context-menu-item"]', { hasText: new RegExp(`^${label}$`) }).click();
}

async function addFromPalette(page: Page, type: string): Promise<void> {
  await page.locator(`[data-testid="palette-item"][data-type="${type}"]`).click();
}

function param(page: Page, nodeId: string, name: string) {
  return node(page, nodeId).locator(`[data-param="${name}"]`);
}

/** Decodes an <audio> element's source with WebAudio in the page. */
async function decodedDuration(page: Page, selector: string): Promise<number> {
  return page.locator(selector).evaluate(async (audio: HTMLAudioElement) => {
    const bytes = await (await fetch(audio.src)).arrayBuffer();
    const decoded = await new OfflineAudioContext(1, 1, 44_100).decodeAudioData(bytes);
    return decoded.duration;
  });
}

describe('building and running a workflow with the mouse and keyboard', () => {
  it('Prompt -> Generate -> Convert(mp3) -> Save built through the UI runs to done and plays audio of the requested duration', async () => {
    const { page, errors } = await openEditor(session);
    const canvas = (await page.locator('[data-testid="canvas"]').boundingBox())!;
    await addFromContextMenu(page, 'Stable Audio 3', 'Prompt', { x: canvas.x + 120, y: canvas.y + 200 });
    await node(page, 'prompt').waitFor();
    await param(page, 'prompt', 'text').locator('textarea').fill('warm analog synth pad, slow attack');
    await addFromPalette(page, 'sa3.generate');
    await addFromPalette(page, 'audio.convert');
    await addFromPalette(page, 'audio.save');
    await node(page, 'save').waitFor();

    await param(page, 'generate', 'duration').locator('input[type="number"]').fill('3');
    await param(page, 'generate', 'seed').locator('input[type="number"]').fill('42');
    await param(page, 'convert', 'format').locator('select').selectOption('mp3');

    await dragWire(page, ['prompt', 'conditioning'], ['generate', 'prompt']);
    await dragWire(page, ['generate', 'audio'], ['convert', 'audio']);
    await dragWire(page, ['convert', 'file'], ['save', 'file']);
    await expect.poll(() => page.locator('[data-testid="connection"]').count()).toBe(3);
    await screenshot(page, 'built-through-ui');

    await page.locator('[data-testid="run"]').click();
    for (const id of ['prompt', 'generate', 'convert', 'save'])
      await page.locator(`[data-testid="sa3-node"][data-node-id="${id}"][data-status="done"]`).waitFor();
    expect(await node(page, 'generate').locator('[data-testid="node-progress"]').getAttribute('data-value')).toBe('1.000');
    const generated = '[data-node-id="generate"] [data-testid="node-audio"]';
    const saved = '[data-node-id="save"] [data-testid="node-audio"]';
    await page.locator(saved).waitFor();
    await page.locator('[data-node-id="generate"] [data-testid="waveform"][data-drawn="true"]').waitFor();
    expect(await decodedDuration(page, generated)).toBeCloseTo(3, 3);
    // MP3 frames round the length up by at most one frame (1152 samples) plus the encoder delay.
    expect(Math.abs((await decodedDuration(page, saved)) - 3)).toBeLessThan(0.06);
    await screenshot(page, 'run-done');

    await page.locator('[data-testid="open-report"]').click();
    await expect.poll(() => page.locator('[data-testid="report-status"]').textContent()).toBe('succeeded');
    expect(await page.locator('[data-testid="report-seeds"]').textContent()).toContain('42');
    expect(errors).toEqual([]);
  });

  it('refuses a wire from an audio output into a prompt input, and says why', async () => {
    const { page } = await openEditor(session);
    await addFromPalette(page, 'sa3.generate');
    await addFromPalette(page, 'sa3.extend');
    await node(page, 'extend').waitFor();
    await dragWire(page, ['generate', 'audio'], ['extend', 'prompt']);
    await page.locator('[data-testid="toast"][data-kind="error"]', { hasText: 'audio output cannot feed a conditioning input' }).waitFor();
    expect(await page.locator('[data-testid="connection"]').count()).toBe(0);
    // The right wire into the same node is accepted.
    await dragWire(page, ['generate', 'audio'], ['extend', 'audio']);
    await expect.poll(() => page.locator('[data-testid="connection"]').count()).toBe(1);
    await screenshot(page, 'wire-refused');
  });

  it('shows an out-of-range param on its node before running, and refuses to run', async () => {
    const { page } = await openEditor(session);
    await addFromPalette(page, 'sa3.generate');
    await param(page, 'generate', 'duration').locator('input[type="number"]').fill('500');
    const error = param(page, 'generate', 'duration').locator('[data-testid="param-error"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('above the maximum 380');
    expect(await node(page, 'generate').getAttribute('data-invalid')).toBe('true');
    await page.locator('[data-testid="run"]').click();
    await page.locator('[data-testid="toast"][data-kind="error"]', { hasText: 'need attention before running' }).waitFor();
    expect(await page.locator('[data-testid="run-status"]').textContent()).toBe('ready');
    await screenshot(page, 'param-out-of-range');
  });

  it('shows a run error on the node that failed', async () => {
    const { page } = await openEditor(session);
    await addFromPalette(page, 'audio.load');
    await addFromPalette(page, 'audio.save');
    await param(page, 'load', 'source').locator('input[type="text"]').fill('audio/no-such-file.wav');
    await dragWire(page, ['load', 'audio'], ['save', 'audio']);
    await page.locator('[data-testid="run"]').click();
    await page.locator('[data-testid="sa3-node"][data-node-id="load"][data-status="failed"]').waitFor();
    const message = await node(page, 'load').locator('[data-testid="node-error"], [data-testid="param-error"]').first().textContent();
    expect(message).toMatch(/no-such-file/);
    expect(await node(page, 'save').getAttribute('data-status')).not.toBe('failed');
    await screenshot(page, 'run-error');
  });
});
