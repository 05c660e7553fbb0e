import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { examplesDir } from '../helpers/paths.js';
import { node, openEditor, screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession();
});
afterAll(async () => session?.close());

function nodeIds(page: Page): Promise<string[]> {
  return page.locator('[data-testid="sa3-node"]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-node-id') ?? '').sort());
}

function exampleIds(file: string): string[] {
  return (JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as { nodes: { id: string }[] }).nodes.map((n) => n.id).sort();
}

async function pickExample(page: Page, file: string): Promise<void> {
  await page.locator('[data-testid="open-gallery"]').click();
  await page.locator(`[data-testid="gallery-item"][data-file="${file}"]`).click();
}

const promptText = (page: Page) => node(page, 'prompt').locator('[data-param="text"] textarea');
const dialog = (page: Page) => page.locator('[data-testid="replace-dialog"]');

/** Ctrl+Z with the focus on the canvas, not in a field. */
async function undo(page: Page): Promise<void> {
  await page.locator('[data-testid="canvas"]').click({ position: { x: 8, y: 8 } });
  await page.keyboard.press('Control+z');
}

describe('replacing the graph', () => {
  it('an example opened over an edited graph asks first; Escape keeps the graph, Replace opens it, Undo brings the edited graph back', async () => {
    const { page, errors } = await openEditor(session);
    await pickExample(page, 'text-to-audio.json');
    await expect.poll(() => nodeIds(page)).toEqual(exampleIds('text-to-audio.json'));
    expect(await dialog(page).count()).toBe(0); // an empty canvas is replaced without a question
    await promptText(page).fill('a fog horn far away');
    await page.locator('[data-testid="workflow-name"]').fill('fog study');

    await pickExample(page, 'trim-fade-mp3.json');
    await dialog(page).waitFor();
    expect(await page.locator('[data-testid="replace-question"]').textContent()).toBe(
      'The graph on the canvas has changes that are not saved. Replace it with trim-fade-mp3.json? Undo (Ctrl+Z) brings it back.',
    );
    await screenshot(page, 'replace-asks');
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
    expect(await nodeIds(page)).toEqual(exampleIds('text-to-audio.json'));
    expect(await promptText(page).inputValue()).toBe('a fog horn far away');

    await pickExample(page, 'trim-fade-mp3.json');
    await page.locator('[data-testid="replace-confirm"]').click();
    await expect.poll(() => nodeIds(page)).toEqual(exampleIds('trim-fade-mp3.json'));
    expect(await page.locator('[data-testid="workflow-name"]').inputValue()).not.toBe('fog study');

    await undo(page);
    await expect.poll(() => nodeIds(page)).toEqual(exampleIds('text-to-audio.json'));
    expect(await promptText(page).inputValue()).toBe('a fog horn far away');
    expect(await page.locator('[data-testid="workflow-name"]').inputValue()).toBe('fog study');
    await screenshot(page, 'replace-undone');

    await page.keyboard.press('Control+y');
    await expect.poll(() => nodeIds(page)).toEqual(exampleIds('trim-fade-mp3.json'));
    expect(errors).toEqual([]);
  });

  it('New empties the graph and its name after asking; Undo restores both', async () => {
    const { page } = await openEditor(session);
    await pickExample(page, 'text-to-audio.json');
    await expect.poll(() => nodeIds(page)).toEqual(exampleIds('text-to-audio.json'));
    const name = await page.locator('[data-testid="workflow-name"]').inputValue();
    expect(name).not.toBe('');

    // Unedited: New replaces at once.
    await page.locator('[data-testid="new"]').click();
    await expect.poll(() => nodeIds(page)).toEqual([]);
    expect(await dialog(page).count()).toBe(0);
    expect(await page.locator('[data-testid="workflow-name"]').inputValue()).toBe('');
    await undo(page);
    await expect.poll(() => nodeIds(page)).toEqual(exampleIds('text-to-audio.json'));
    expect(await page.locator('[data-testid="workflow-name"]').inputValue()).toBe(name);

    // Edited (undo brought back a graph not saved as it is): New asks; "Keep editing" keeps it.
    await page.locator('[data-testid="new"]').click();
    await dialog(page).waitFor();
    await page.locator('[data-testid="replace-cancel"]').click();
    expect(await nodeIds(page)).toEqual(exampleIds('text-to-audio.json'));
    await page.locator('[data-testid="new"]').click();
    await page.locator('[data-testid="replace-confirm"]').click();
    await expect.poll(() => nodeIds(page)).toEqual([]);
  });

  it('a file dropped on an edited graph asks first, and after Save it no longer asks', async () => {
    const { page } = await openEditor(session);
    await page.locator('[data-testid="palette-item"][data-type="sa3.prompt"]').click();
    await node(page, 'prompt').waitFor();
    const text = readFileSync(join(examplesDir, 'trim-fade-mp3.json'), 'utf8');
    const drop = async () => {
      const dataTransfer = await page.evaluateHandle((body: string) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([body], 'trim-fade-mp3.json', { type: 'application/json' }));
        return transfer;
      }, text);
      await page.locator('[data-testid="canvas"]').dispatchEvent('drop', { dataTransfer });
    };
    await drop();
    await dialog(page).waitFor();
    await page.locator('[data-testid="replace-cancel"]').click();
    expect(await nodeIds(page)).toEqual(['prompt']);

    await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="save"]').click()]);
    await drop();
    await expect.poll(() => nodeIds(page)).toEqual(exampleIds('trim-fade-mp3.json'));
    expect(await dialog(page).count()).toBe(0);
  });
});
