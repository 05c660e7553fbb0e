import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession();
});
afterAll(async () => session?.close());

describe('the plugin in a plain Rete editor', () => {
  it('registers with a stock NodeEditor + AreaPlugin + ReactPlugin and renders our nodes, sockets and controls', async () => {
    const { page, errors } = await session.newPage('/plain-rete.html');
    await page.waitForSelector('body[data-ready="true"]');
    const nodes = page.locator('[data-testid="sa3-node"]');
    await expect.poll(() => nodes.count()).toBe(3);
    expect(await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-type')))).toEqual(['sa3.prompt', 'sa3.generate', 'audio.save']);
    // Typed sockets, coloured per type; generated controls; the wire drawn.
    expect(await page.locator('[data-node-id="generate"] [data-testid="port"][data-side="input"][data-key="prompt"] [data-kind="conditioning"]').count()).toBe(
      1,
    );
    expect(await page.locator('[data-node-id="generate"] [data-param="duration"] input[type="range"]').count()).toBe(1);
    expect(await page.locator('[data-node-id="prompt"] [data-param="text"] textarea').count()).toBe(1);
    expect(await page.locator('[data-testid="connection"][data-from="prompt.conditioning"][data-to="generate.prompt"]').count()).toBe(1);
    await screenshot(page, 'plain-rete');
    expect(errors).toEqual([]);
  });
});
