import { readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { parsePayload, parseWorkflow, runStateSchema, type Workflow } from '@sa3/nodes';
import { writeTestPack } from '@sa3/runtime/testpack';
import { examplesDir } from '../helpers/paths.js';
import { installLoraDemo } from '../helpers/lora-demo.js';
import { openEditor, screenshot, startEditorSession, type EditorSession } from './browser-fixture.js';

let session: EditorSession;
beforeAll(async () => {
  session = await startEditorSession();
  // The base-model example names its pack.
  await writeTestPack(join(session.server.home, 'packs', 'small-music-base'), { id: 'small-music-base', objective: 'rectified_flow', layout: 'explicit' });
  // lora-stack.json: the converted demo pack and its LoRA files by name.
  await installLoraDemo({ SA3_HOME: session.server.home });
}, 300_000);
afterAll(async () => session?.close());

const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

async function exportedText(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="save"]').click()]);
  return readFile(await download.path(), 'utf8');
}

async function runToEnd(page: Page): Promise<string> {
  await page.locator('[data-testid="run"]').click();
  await page.locator('[data-testid="run"]').waitFor(); // the Run button comes back when the run has ended
  return (await page.locator('[data-testid="run-status"]').textContent()) ?? '';
}

describe('the example gallery', () => {
  it.each(examples)('opens %s, runs it, and exports exactly the file', async (file) => {
    const { page, errors } = await openEditor(session);
    await page.locator('[data-testid="open-gallery"]').click();
    await page.locator(`[data-testid="gallery-item"][data-file="${file}"]`).click();
    const expected = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as { nodes: unknown[] };
    await expect.poll(() => page.locator('[data-testid="sa3-node"]').count()).toBe(expected.nodes.length);
    expect(await runToEnd(page)).toBe('last run succeeded');
    expect(await page.locator('[data-testid="sa3-node"][data-status="failed"]').count()).toBe(0);
    await page.locator('[data-testid="node-audio"]').first().waitFor();
    await screenshot(page, `gallery-${file.replace(/\.json$/, '')}`);
    expect(await exportedText(page)).toBe(readFileSync(join(examplesDir, file), 'utf8'));
    expect(errors).toEqual([]);
  });
});

describe('files dropped on the page', () => {
  it('restores the graph embedded in an output WAV', async () => {
    const text = readFileSync(join(examplesDir, 'text-to-audio.json'), 'utf8');
    const parsed = parseWorkflow(text);
    expect(parsed.problems).toEqual([]);
    const workflow: Workflow = {
      ...parsed.workflow!,
      nodes: parsed.workflow!.nodes.map((n) => {
        if (n.type === 'audio.convert') return { ...n, params: { format: 'wav' } };
        if (n.type === 'sa3.generate') return { ...n, params: { ...n.params, duration: 1 } }; // a small file to hand to the page
        return n;
      }),
    };
    const submitted = await session.server.request('/api/runs', { method: 'POST', json: { workflow } });
    expect(submitted.status).toBe(202);
    const { id } = parsePayload(runStateSchema, submitted.body, 'POST /api/runs');
    await fetch(`${session.server.url}/api/runs/${id}/events`).then((r) => r.text());
    const state = parsePayload(runStateSchema, (await session.server.request(`/api/runs/${id}`)).body, `GET /api/runs/${id}`);
    const output = state.outputs.find((o) => o.mime.includes('wav'))!;
    const wav = Buffer.from(await (await fetch(session.server.url + output.url)).arrayBuffer());

    const { page } = await openEditor(session);
    const dataTransfer = await page.evaluateHandle(
      (bytes: number[]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], 'take.wav', { type: 'audio/wav' }));
        return transfer;
      },
      [...wav],
    );
    await page.locator('[data-testid="canvas"]').dispatchEvent('drop', { dataTransfer });
    await expect.poll(() => page.locator('[data-testid="sa3-node"]').count()).toBe(workflow.nodes.length);
    const ids = await page.locator('[data-testid="sa3-node"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
    expect(ids).toEqual(workflow.nodes.map((n) => n.id));
    expect(await page.locator('[data-testid="connection"]:not([data-pseudo])').count()).toBe(workflow.connections.length);
    await screenshot(page, 'dropped-wav');
  });

  it('shows an unknown node type as a red placeholder and saves it back unchanged', async () => {
    const text = `{
  "format": "sa3-workflow",
  "version": 1,
  "nodes": [
    {
      "id": "fx",
      "type": "vendor.reverb",
      "typeVersion": 2,
      "params": { "room": 0.8, "mode": "hall" },
      "position": [0, 0]
    },
    { "id": "save", "type": "audio.save", "typeVersion": 1, "params": {}, "position": [400, 0] }
  ],
  "connections": [
    { "from": ["fx", "wet"], "to": ["save", "audio"] }
  ]
}
`;
    const { page } = await openEditor(session);
    const dataTransfer = await page.evaluateHandle((body: string) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([body], 'custom.json', { type: 'application/json' }));
      return transfer;
    }, text);
    await page.locator('[data-testid="canvas"]').dispatchEvent('drop', { dataTransfer });
    await page.locator('[data-testid="sa3-node"][data-node-id="fx"][data-placeholder="true"] [data-testid="placeholder"]').waitFor();
    expect(await page.locator('[data-testid="connection"]:not([data-pseudo])').count()).toBe(1);
    await screenshot(page, 'placeholder');
    expect(await exportedText(page)).toBe(text);
  });
});
