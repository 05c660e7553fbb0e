import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, examplesDir } from '../helpers/paths.js';

/** A running `sa3` process of a test: what it printed so far, and when it ends. */
export interface Sa3Process {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the first stdout line that matches. */
  line(match: RegExp): Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Waits for the process to end, killing it (SIGKILL) if it has not within `ms`;
   * `killed` says whether that timer fired, i.e. whether it failed to exit on its own in time.
   */
  exitWithin(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }>;
}

/** Starts the built CLI with `node` in its own SA3_HOME and TMPDIR (given in `env`), printing no colours. */
export function startSa3(args: readonly string[], env: Record<string, string>, cwd?: string): Sa3Process {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', SA3_PACKS: '', SA3_CACHE: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: { match: RegExp; resolve: (line: string) => void }[] = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      for (const watcher of [...watchers]) {
        if (watcher.match.test(line)) {
          watchers.splice(watchers.indexOf(watcher), 1);
          watcher.resolve(line);
        }
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    line: (match) =>
      new Promise((resolve, reject) => {
        const earlier = stdout.split('\n').find((l) => match.test(l));
        if (earlier !== undefined) return resolve(earlier);
        watchers.push({ match, resolve });
        void exited.then(() => reject(new Error(`sa3 ended before printing a line matching ${match}; stdout:\n${stdout}\nstderr:\n${stderr}`)));
      }),
    exited,
    async exitWithin(ms) {
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, ms);
      const result = await exited;
      clearTimeout(timer);
      return { ...result, killed };
    },
  };
}

/** `sa3 serve` on a free port of 127.0.0.1; resolves once it says where it listens. */
export async function startServe(env: Record<string, string>, extraArgs: readonly string[] = []): Promise<{ sa3: Sa3Process; url: string }> {
  const sa3 = startSa3(['serve', '--port', '0', ...extraArgs], env);
  const line = await sa3.line(/listening on /);
  return { sa3, url: /listening on (http:\/\/[^\s/#]+)/.exec(line)![1]! };
}

/** A fresh SA3_HOME and TMPDIR for one process (or a process and its restart). */
export async function isolatedDirs(): Promise<{ home: string; tmp: string }> {
  return { home: await mkdtemp(join(tmpdir(), 'sa3-hostile-home-')), tmp: await mkdtemp(join(tmpdir(), 'sa3-hostile-tmp-')) };
}

export const chordWav = join(examplesDir, 'audio', 'chord.wav');

/**
 * Two branches: `local` loads a file and saves it (so a staging folder exists in the output
 * folder once it is done), `remote` loads `url` and saves it (and waits on it as long as the
 * server there keeps quiet).
 */
export function localAndRemoteWorkflow(localSource: string, url: string): object {
  return {
    format: 'sa3-workflow',
    version: 1,
    name: 'local-and-remote',
    nodes: [
      { id: 'local', type: 'audio.load', typeVersion: 1, params: { source: localSource } },
      { id: 'save-local', type: 'audio.save', typeVersion: 1, params: { filename: 'local.{ext}' } },
      { id: 'remote', type: 'audio.load', typeVersion: 1, params: { source: url } },
      { id: 'save-remote', type: 'audio.save', typeVersion: 1, params: { filename: 'remote.{ext}' } },
    ],
    connections: [
      { from: ['local', 'audio'], to: ['save-local', 'audio'] },
      { from: ['remote', 'audio'], to: ['save-remote', 'audio'] },
    ],
  };
}
