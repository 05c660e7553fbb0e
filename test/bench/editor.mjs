// Editor figures for npm run bench: a 200-node workflow imported and rendered in headless
// Chromium against a real server, and the frame time while dragging a node in it, each beside
// a baseline measured in the same page (an empty graph).
// The functions given to page.evaluate run in the page, with the browser's globals:
/* global window, document, requestAnimationFrame, DataTransfer, DragEvent */
import { chromium } from 'playwright-core';
import { startBenchServer } from './start-server.mjs';
import { CHROMIUM_ARGS as ARGS } from '../helpers/chromium-args.mjs';

/** 40 chains of Prompt -> Generate -> Gain -> Convert -> Save: 200 nodes, 160 wires. */
function bigWorkflow() {
  const nodes = [];
  const connections = [];
  for (let i = 0; i < 40; i++) {
    const y = i * 420;
    const id = (name) => `${name}-${i}`;
    nodes.push({ id: id('prompt'), type: 'sa3.prompt', typeVersion: 1, params: { text: `layer ${i}` }, position: [0, y] });
    nodes.push({ id: id('generate'), type: 'sa3.generate', typeVersion: 1, params: { duration: 5, seed: i }, position: [340, y] });
    nodes.push({ id: id('gain'), type: 'audio.gain', typeVersion: 1, params: {}, position: [680, y] });
    nodes.push({ id: id('convert'), type: 'audio.convert', typeVersion: 2, params: { format: 'mp3' }, position: [1020, y] });
    nodes.push({ id: id('save'), type: 'audio.save', typeVersion: 1, params: {}, position: [1360, y] });
    connections.push({ from: [id('prompt'), 'conditioning'], to: [id('generate'), 'prompt'] });
    connections.push({ from: [id('generate'), 'audio'], to: [id('gain'), 'audio'] });
    connections.push({ from: [id('gain'), 'audio'], to: [id('convert'), 'audio'] });
    connections.push({ from: [id('convert'), 'file'], to: [id('save'), 'file'] });
  }
  return JSON.stringify({ format: 'sa3-workflow', version: 1, name: 'bench-200', nodes, connections });
}

/**
 * Drops a workflow file on the canvas, as a user would, and times it until two frames after the
 * editor's "sa3: open workflow" measure: reading the file, the import, and the render.
 */
function dropWorkflow(page, body) {
  return page.evaluate(async (text) => {
    const opened = new Promise((resolve, reject) => {
      setTimeout(() => reject(new Error('the dropped workflow did not open within a minute')), 60_000);
      const observer = new PerformanceObserver((list) => {
        if (!list.getEntriesByName('sa3: open workflow').length) return;
        observer.disconnect();
        resolve();
      });
      observer.observe({ type: 'measure' });
    });
    // Over a graph that was edited (a node dragged), the editor asks before replacing it: yes.
    const confirming = setInterval(() => document.querySelector('[data-testid="replace-confirm"]')?.click(), 50);
    void opened.finally(() => clearInterval(confirming));
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(new File([text], 'bench.json', { type: 'application/json' }));
    const started = performance.now();
    document.querySelector('[data-testid="canvas"]').dispatchEvent(new DragEvent('drop', { dataTransfer, bubbles: true, cancelable: true }));
    await opened;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return performance.now() - started;
  }, body);
}

/** Records every animation frame's interval in the page until stopFrameRecording. */
function startFrameRecording(page) {
  return page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (window.__recording) requestAnimationFrame(tick);
    };
    window.__recording = true;
    requestAnimationFrame(tick);
  });
}

function stopFrameRecording(page) {
  return page.evaluate(() => {
    window.__recording = false;
    return window.__frames.slice(1);
  });
}

/** Mean and worst frame interval while the mouse drags the first node across the canvas. */
async function dragFrames(page) {
  await startFrameRecording(page);
  const title = page.locator('[data-testid="sa3-node"] .title').first();
  const box = await title.boundingBox();
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) await page.mouse.move(box.x + 20 + i * 4, box.y + box.height / 2 + (i % 10) * 3);
  await page.mouse.up();
  const frames = await stopFrameRecording(page);
  frames.sort((a, b) => a - b);
  return { mean: frames.reduce((s, f) => s + f, 0) / frames.length, p95: frames[Math.floor(frames.length * 0.95)] };
}

export async function editorBench(report) {
  const { url, stop } = await startBenchServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(url);
    await page.waitForSelector('.app[data-ready="true"]');
    const text = bigWorkflow();
    const openMs = (body) => dropWorkflow(page, body);
    const small = JSON.stringify({
      format: 'sa3-workflow',
      version: 1,
      nodes: JSON.parse(text).nodes.slice(0, 5),
      connections: JSON.parse(text).connections.slice(0, 4),
    });
    await openMs(small); // warm-up
    const five = await openMs(small);
    const twoHundred = await openMs(text);
    const rendered = await page.locator('[data-testid="sa3-node"]').count();
    report(
      'editor: import + render 200-node workflow',
      twoHundred.toFixed(0),
      'ms',
      `(${rendered} nodes in the DOM; 5 nodes: ${five.toFixed(0)} ms, ${(twoHundred / five).toFixed(1)}x)`,
    );
    // The same open without its layout step (measuring every card, separating overlaps, fitting):
    // the path opening took before cards had their real sizes.
    const layout = await page.evaluate(() => performance.getEntriesByName('sa3: lay out workflow').at(-1)?.duration ?? 0);
    report(
      'editor: open 200 nodes with real-size layout',
      (twoHundred / (twoHundred - layout)).toFixed(2),
      'x',
      `(layout ${layout.toFixed(0)} ms of ${twoHundred.toFixed(0)} ms: measuring, separating and fitting, against the open without it)`,
    );

    const loaded = await dragFrames(page);
    await dropWorkflow(page, JSON.stringify({ format: 'sa3-workflow', version: 1, nodes: [], connections: [] }));
    const empty = await dragFramesEmpty(page);
    report(
      'editor: frame time dragging a node, 200 nodes',
      loaded.mean.toFixed(1),
      'ms',
      `(p95 ${loaded.p95.toFixed(1)} ms; panning an empty canvas: ${empty.mean.toFixed(1)} ms, ${(loaded.mean / empty.mean).toFixed(2)}x)`,
    );
  } finally {
    await browser.close();
    await stop();
  }
}

/** The same mouse drag over an empty canvas (it pans the view): the page's baseline frame time. */
async function dragFramesEmpty(page) {
  await startFrameRecording(page);
  const box = await page.locator('[data-testid="canvas"]').boundingBox();
  await page.mouse.move(box.x + 300, box.y + 300);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) await page.mouse.move(box.x + 300 + i * 4, box.y + 300 + (i % 10) * 3);
  await page.mouse.up();
  const frames = await stopFrameRecording(page);
  return { mean: frames.reduce((s, f) => s + f, 0) / frames.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await editorBench((name, value, unit, note) => console.log(`${name.padEnd(52)} ${String(value).padStart(12)} ${unit.padEnd(8)} ${note ?? ''}`));
}
