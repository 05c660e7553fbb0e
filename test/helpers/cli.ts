import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from './paths.js';

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON lines, where it is. */
  readonly events: Record<string, any>[];
}

/** Runs the built `sa3` CLI with `node` (never npx) and collects what it printed. */
/** An empty SA3_HOME, so runs never see packs installed on the machine unless a test puts them there. */
const isolatedHome = mkdtempSync(join(tmpdir(), 'sa3-home-'));

export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; onStdoutLine?: (line: string, child: ReturnType<typeof spawn>) => void; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // SA3_CACHE off: every run exercises the engine unless a test turns the disk cache on.
    const env = { ...process.env, NO_COLOR: '1', SA3_HOME: isolatedHome, SA3_PACKS: '', SA3_CACHE: 'off', ...options.env };
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) options.onStdoutLine?.(line, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const events = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l)];
          } catch {
            return [];
          }
        });
      resolve({ code, signal, stdout, stderr, events });
    });
    child.stdin.end(options.input ?? '');
  });
}

export function tempDir(prefix = 'sa3-e2e-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}
