import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { node, openEditor, screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession();
});
afterAll(async () => session?.close());

describe('params that apply only for some values of another', () => {
  it('a convert node shows the setting of the chosen format only, and keeps what was set for another', async () => {
    const { page, errors } = await openEditor(session);
    await page.locator('[data-testid="palette-item"][data-type="audio.convert"]').click();
    const convert = node(page, 'convert');
    await convert.waitFor();
    const shownParams = () => convert.locator('[data-testid="param"]').evaluateAll((fields) => fields.map((f) => f.getAttribute('data-param')));

    expect(await shownParams()).toEqual(['format', 'wav_bit_depth']);
    await convert.locator('[data-param="format"] select').selectOption('mp3');
    await expect.poll(shownParams).toEqual(['format', 'mp3_bitrate']);
    await convert.locator('[data-param="mp3_bitrate"] select').selectOption('320');
    await convert.locator('[data-param="format"] select').selectOption('ogg');
    await expect.poll(shownParams).toEqual(['format', 'ogg_quality']);
    // The bitrate set while mp3 was chosen is kept (and comes back with mp3), but is nothing to fix.
    expect(await convert.getAttribute('data-invalid')).toBe('false');
    await convert.locator('[data-param="format"] select').selectOption('mp3');
    await expect.poll(() => convert.locator('[data-param="mp3_bitrate"] select').inputValue()).toBe('320');
    await screenshot(page, 'convert-mp3-fields');
    expect(errors).toEqual([]);
  });
});
