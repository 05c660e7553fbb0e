// Server figures for npm run bench: the server runs in its own process (as users run it),
// the clients here, all on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBenchServer } from './start-server.mjs';

const examples = new URL('../../examples/', import.meta.url).pathname;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** `clients` loops, each sending `perClient` requests back to back. */
async function load(clients, perClient, send) {
  const latencies = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) {
        const t = performance.now();
        await send();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export async function serverBench(report) {
  const { url, stop } = await startBenchServer(['--queue', '64']);
  try {
    const health = () => fetch(`${url}/health-check`).then((r) => r.arrayBuffer());
    await load(4, 50, health); // warm-up
    const single = await load(1, 500, health);
    const sixteen = await load(16, 250, health);
    report('/health-check, 1 client', single.rps.toFixed(0), 'req/s', `(p50 ${single.p50.toFixed(2)} ms)`);
    report('/health-check, 16 concurrent clients', sixteen.rps.toFixed(0), 'req/s', `(p50 ${sixteen.p50.toFixed(2)} ms, p99 ${sixteen.p99.toFixed(2)} ms)`);

    const workflow = JSON.parse(readFileSync(join(examples, 'text-to-audio.json'), 'utf8'));
    workflow.nodes.find((n) => n.id === 'generate').params.duration = 5;
    const runOnce = async () => {
      const submitted = await fetch(`${url}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workflow }),
      }).then((r) => r.json());
      // The event stream ends with the run's last event.
      await fetch(`${url}/api/runs/${submitted.id}/events`).then((r) => r.text());
    };
    await runOnce(); // fills the cache: later runs only re-run the save node
    const cachedOne = await load(1, 30, runOnce);
    const cachedSixteen = await load(16, 8, runOnce);
    report('cached workflow run (submit + SSE to the end), 1 client', cachedOne.rps.toFixed(1), 'runs/s', `(p50 ${cachedOne.p50.toFixed(1)} ms)`);
    report(
      'cached workflow run, 16 concurrent clients',
      cachedSixteen.rps.toFixed(1),
      'runs/s',
      `(p99 ${cachedSixteen.p99.toFixed(1)} ms; runs are executed one at a time)`,
    );
  } finally {
    await stop();
  }
}
