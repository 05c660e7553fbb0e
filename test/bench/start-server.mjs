// Starts `sa3 serve` in its own process over a fresh SA3_HOME holding a small-music test pack (removed by stop()).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTestPack } from '@sa3/runtime/testpack';

const cli = new URL('../../packages/runtime/dist/cli/main.js', import.meta.url).pathname;

export async function startBenchServer(extraArgs = []) {
  const home = mkdtempSync(join(tmpdir(), 'sa3-bench-server-'));
  await writeTestPack(join(home, 'packs', 'small-music'), { id: 'small-music', objective: 'rf_denoiser', layout: 'baked' });
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', ...extraArgs], {
    env: { ...process.env, SA3_HOME: home },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(String(chunk));
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`sa3 serve exited with ${code}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    /** Stops the server and removes its SA3_HOME once it has exited. */
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}
