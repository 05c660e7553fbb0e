import type { Socket } from 'node:net';
import { afterEach } from 'vitest';
import type { QuietServer } from '../../packages/runtime/test/helpers/quiet-servers.js';
import type { Sa3Process } from './sa3-process.js';

/** Quiet servers stay quiet for as long as a test needs: nothing times out on its own here. */
export const NO_TIMEOUTS = { SA3_CONNECT_TIMEOUT_MS: '600000', SA3_IDLE_TIMEOUT_MS: '600000' };

/** What a fault test starts; each list is emptied (killed, closed) after every test. */
export interface FaultHarness {
  readonly quiet: QuietServer[];
  readonly processes: Sa3Process[];
  readonly sockets: Socket[];
}

/** Lists a test file fills with what it starts, all stopped after each test whatever happened. */
export function faultHarness(): FaultHarness {
  const harness: FaultHarness = { quiet: [], processes: [], sockets: [] };
  afterEach(async () => {
    for (const p of harness.processes.splice(0)) p.child.kill('SIGKILL');
    for (const s of harness.sockets.splice(0)) s.destroy();
    for (const q of harness.quiet.splice(0)) await q.close();
  });
  return harness;
}

/** Polls for something a process does (on disk, in its output); a generous bound, never asserted on. */
export async function waitFor<T>(what: string, check: () => T | undefined | false): Promise<T> {
  for (let i = 0; i < 1500; i++) {
    let value: T | undefined | false = undefined;
    try {
      value = check();
    } catch {
      /* not there yet */
    }
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}
