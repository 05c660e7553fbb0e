import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { node, openEditor, screenshot, startEditorSession, tempDir, type EditorSession } from './browser-fixture.js';

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession();
});
afterAll(async () => session?.close());

/** A 16-bit stereo WAV of `frames` frames of a 440 Hz tone at 44.1 kHz. */
function toneWav(frames: number): Buffer {
  const data = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    const s = Math.round(Math.sin((2 * Math.PI * 440 * i) / 44_100) * 12_000);
    data.writeInt16LE(s, i * 4);
    data.writeInt16LE(s, i * 4 + 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(44_100, 24);
  header.writeUInt32LE(44_100 * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

async function openExample(page: Page, file: string, nodeId: string): Promise<void> {
  await page.locator('[data-testid="open-gallery"]').click();
  await page.locator(`[data-testid="gallery-item"][data-file="${file}"]`).click();
  await node(page, nodeId).waitFor();
}

/** Drags a field's scrub handle sideways by `dx` pixels. */
async function scrub(page: Page, field: Locator, dx: number, modifier?: 'Shift' | 'Alt'): Promise<void> {
  const box = (await field.locator('[data-testid="param-scrub"]').boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  if (modifier) await page.keyboard.down(modifier);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y, { steps: 3 });
  await page.mouse.move(x + dx, y, { steps: 3 });
  await page.mouse.up();
  if (modifier) await page.keyboard.up(modifier);
}

/** Leaves the field being typed in, so keys go to the editor rather than the field's own text undo. */
async function leaveField(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

describe('audio editing where the audio is', () => {
  it('Load audio previews an uploaded file at once (waveform, length) under its original name, also after a reload', async () => {
    const dir = await tempDir('sa3-upload-');
    const file = join(dir, 'my-take.wav');
    await writeFile(file, toneWav(66_150)); // 1.5 s
    const { page, errors } = await openEditor(session);
    await page.locator('[data-testid="palette-item"][data-type="audio.load"]').click();
    const load = page.locator('[data-testid="sa3-node"][data-node-type="audio.load"]').first();
    await load.waitFor();
    await load.locator('[data-testid="param-upload"]').setInputFiles(file);
    await load.locator('[data-testid="source-waveform"][data-drawn="true"]').waitFor();
    expect(await load.locator('[data-testid="source-duration"]').textContent()).toBe('1.50 s');
    expect(await load.locator('[data-testid="source-name"]').textContent()).toBe('my-take.wav');
    const input = load.locator('[data-param="source"] input[type="text"]');
    expect(await input.inputValue()).toBe('my-take.wav');
    expect(await input.getAttribute('data-value')).toMatch(/^upload:[0-9a-f]{16}\.wav$/);
    await screenshot(page, 'load-preview');

    await page.waitForFunction(() => document.querySelector('[data-testid="statusbar"]')?.textContent?.includes('kept in this browser'));
    await page.reload();
    await page.waitForSelector('.app[data-ready="true"]');
    const reloaded = page.locator('[data-testid="sa3-node"][data-node-type="audio.load"]').first();
    await reloaded.locator('[data-testid="source-waveform"][data-drawn="true"]').waitFor();
    expect(await reloaded.locator('[data-testid="source-name"]').textContent()).toBe('my-take.wav');
    expect(await reloaded.locator('[data-testid="source-duration"]').textContent()).toBe('1.50 s');
    expect(errors).toEqual([]);
  });

  it('number fields scrub by exact steps (Shift ten, Alt a tenth), and param edits undo and redo with Ctrl+Z / Ctrl+Y', async () => {
    const { page, errors } = await openEditor(session);
    await openExample(page, 'text-to-audio.json', 'generate');
    // Opening lays the cards out; the edits below start once that is done and kept.
    await page.waitForFunction(() => document.querySelector('[data-testid="statusbar"]')?.textContent?.includes('kept in this browser'));
    const duration = node(page, 'generate').locator('[data-param="duration"]');
    const value = async () => Number(await duration.locator('input[type="number"]').inputValue());
    expect(await value()).toBe(30);
    // Duration steps by 0.5 s; the handle moves a tenth of that per pixel.
    await scrub(page, duration, 40);
    expect(await value()).toBe(32);
    await scrub(page, duration, -20, 'Shift');
    expect(await value()).toBe(22);
    await leaveField(page);
    await page.keyboard.press('Control+z');
    await expect.poll(value).toBe(30);
    await page.keyboard.press('Control+y');
    await expect.poll(value).toBe(22);
    await scrub(page, duration, 20, 'Alt');
    expect(await value()).toBe(22.1);

    const steps = node(page, 'generate').locator('[data-param="steps"]');
    await steps.locator('input[type="number"]').fill('12');
    await steps.locator('input[type="number"]').press('ArrowUp');
    expect(await steps.locator('input[type="number"]').inputValue()).toBe('13');
    await leaveField(page);
    await page.keyboard.press('Control+z');
    await expect.poll(() => steps.locator('input[type="number"]').inputValue()).toBe('8');
    expect(await value()).toBe(22.1);
    await screenshot(page, 'scrub-and-undo');
    expect(errors).toEqual([]);
  });

  it('a run error on a param goes as soon as the param is changed', async () => {
    const { page, errors } = await openEditor(session);
    await openExample(page, 'trim-fade-mp3.json', 'trim');
    const start = node(page, 'trim').locator('[data-param="start_seconds"]');
    // Empty End means "to the end of the audio", so only the run can tell that 9 s is past it.
    await node(page, 'trim').locator('[data-param="end_seconds"] input[type="number"]').fill('');
    await start.locator('input[type="number"]').fill('9');
    expect(await start.getAttribute('data-invalid')).toBe('false');
    await page.locator('[data-testid="run"]').click();
    await expect.poll(() => page.locator('[data-testid="run-status"]').textContent(), { timeout: 60_000 }).toBe('last run failed');
    expect(await start.getAttribute('data-invalid')).toBe('true');
    expect(await start.locator('[data-testid="param-error"]').textContent()).toBe('start_seconds is 9 s but the audio is only 4.000 s long');
    await start.locator('input[type="number"]').fill('0.5');
    expect(await start.getAttribute('data-invalid')).toBe('false');
    expect(await node(page, 'trim').getAttribute('data-invalid')).toBe('false');
    await screenshot(page, 'run-error-cleared');
    expect(errors).toEqual([]);
  });

  it('a running node names its phase beside the step count', async () => {
    const { page, errors } = await openEditor(session);
    await openExample(page, 'text-to-audio.json', 'generate');
    await node(page, 'generate').locator('[data-param="duration"] input[type="number"]').fill('3');
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { badges: string[] }).badges = seen;
      new MutationObserver(() => {
        const badge = document.querySelector('[data-node-id="generate"] [data-testid="node-status"]')?.textContent;
        if (badge && seen.at(-1) !== badge) seen.push(badge);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.locator('[data-testid="run"]').click();
    await expect.poll(() => page.locator('[data-testid="run-status"]').textContent(), { timeout: 60_000 }).toBe('last run succeeded');
    const badges = await page.evaluate(() => (window as unknown as { badges: string[] }).badges);
    const running = badges.filter((b) => /\d+\/\d+$/.test(b));
    expect(running.length).toBeGreaterThan(0);
    for (const badge of running) expect(badge).toMatch(/^(sampling [1-8]\/8|decoding \d+\/\d+)$/);
    expect(running).toContain('sampling 8/8');
    expect(errors).toEqual([]);
  });
});
