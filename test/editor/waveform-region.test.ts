import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { node, openEditor, screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';

/** examples/audio/chord.wav: 4 s at 44.1 kHz. */
const CHORD_SECONDS = 4;

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession();
});
afterAll(async () => session?.close());

async function openExample(page: Page, file: string, nodeId: string): Promise<void> {
  await page.locator('[data-testid="open-gallery"]').click();
  await page.locator(`[data-testid="gallery-item"][data-file="${file}"]`).click();
  await node(page, nodeId).waitFor();
}

/** Drags across a waveform from one fraction of its width to another; returns the seconds those points stand for. */
async function dragAcross(page: Page, waveform: Locator, from: number, to: number, shift = false): Promise<{ start: number; end: number }> {
  const surface = waveform.locator('[data-testid="region-surface"] canvas');
  await waveform.locator('canvas[data-drawn="true"]').waitFor();
  const box = (await surface.boundingBox())!;
  const y = box.y + box.height / 2;
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.move(box.x + box.width * from, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * ((from + to) / 2), y, { steps: 4 });
  await page.mouse.move(box.x + box.width * to, y, { steps: 4 });
  await page.mouse.up();
  if (shift) await page.keyboard.up('Shift');
  const duration = Number(await waveform.getAttribute('data-duration'));
  return { start: Math.min(from, to) * duration, end: Math.max(from, to) * duration };
}

async function numbers(locator: Locator): Promise<number[]> {
  return (await locator.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).map(Number);
}

describe('regions picked on the source waveform', () => {
  it('dragging on the Load audio waveform of an Inpaint node sets its region to within 0.05 s; Shift-drag adds one', async () => {
    const { page, errors } = await openEditor(session);
    await openExample(page, 'inpaint-region.json', 'inpaint');
    const inpaint = node(page, 'inpaint');
    const waveform = inpaint.locator('[data-testid="region-waveform"]');
    await waveform.locator('canvas[data-drawn="true"]').waitFor();
    expect(Number(await waveform.getAttribute('data-duration'))).toBeCloseTo(CHORD_SECONDS, 3);

    const dragged = await dragAcross(page, waveform, 0.2, 0.65);
    const rows = inpaint.locator('[data-testid="region-row"]');
    await expect.poll(() => rows.count()).toBe(1);
    const [start, end] = await numbers(rows.first().locator('input[type="number"]'));
    expect(Math.abs(start! - dragged.start)).toBeLessThan(0.05);
    expect(Math.abs(end! - dragged.end)).toBeLessThan(0.05);
    expect(await inpaint.locator('[data-testid="region-span"]').count()).toBe(1);
    await screenshot(page, 'waveform-region-inpaint');

    // Right to left selects the same way; Shift adds a second region beside the first.
    const added = await dragAcross(page, waveform, 0.95, 0.8, true);
    await expect.poll(() => rows.count()).toBe(2);
    const [start2, end2] = await numbers(rows.nth(1).locator('input[type="number"]'));
    expect(Math.abs(start2! - added.start)).toBeLessThan(0.05);
    expect(Math.abs(end2! - added.end)).toBeLessThan(0.05);
    expect(await numbers(rows.first().locator('input[type="number"]'))).toEqual([start, end]);

    // The workflow carries what the waveform set.
    const saved = await page.evaluate(() => localStorage.length);
    expect(saved).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('dragging on the waveform of a Trim node sets its start and end', async () => {
    const { page, errors } = await openEditor(session);
    await openExample(page, 'trim-fade-mp3.json', 'trim');
    const trim = node(page, 'trim');
    const waveform = trim.locator('[data-testid="region-waveform"]');
    const dragged = await dragAcross(page, waveform, 0.1, 0.4);
    // The fields take the values on React's next render, not within the drag.
    const field = async (param: string): Promise<number> => Number(await trim.locator(`[data-param="${param}"] input[type="number"]`).inputValue());
    await expect.poll(async () => Math.abs((await field('start_seconds')) - dragged.start) < 0.05).toBe(true);
    await expect.poll(async () => Math.abs((await field('end_seconds')) - dragged.end) < 0.05).toBe(true);
    await screenshot(page, 'waveform-region-trim');
    expect(errors).toEqual([]);
  });
});
