// Editor figures for npm run bench: a 200-node workflow imported and rendered in headless
// Chromium against a real server, and the frame time while dragging a node in it, each beside
// a baseline measured in the same page (an empty graph).
import { chromium } from 'playwright-core';
import { startBenchServer } from './start-server.mjs';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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
    const openMs = (t) =>
      page.evaluate(async (body) => {
        const started = performance.now();
        await window.sa3App.openText(body, 'bench');
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        return performance.now() - started;
      }, t);
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

    const loaded = await dragFrames(page);
    await page.evaluate(() => window.sa3App.openText(JSON.stringify({ format: 'sa3-workflow', version: 1, nodes: [], connections: [] }), 'empty'));
    const empty = await dragFramesEmpty(page);
    report(
      'editor: frame time dragging a node, 200 nodes',
      loaded.mean.toFixed(1),
      'ms',
      `(p95 ${loaded.p95.toFixed(1)} ms; panning an empty canvas: ${empty.mean.toFixed(1)} ms, ${(loaded.mean / empty.mean).toFixed(2)}x)`,
    );
  } finally {
    await browser.close();
    stop();
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
