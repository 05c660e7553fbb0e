import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, examplesDir } from '../helpers/paths.js';
import { fileSet } from './file-set.js';

/**
 * sa3 is a local tool: running a workflow or serving predictions writes only where it was told
 * to (SA3_HOME, the output folder, TMPDIR), reads no machine identity and opens no connection
 * beyond this machine. Each process tree runs under strace with a fresh HOME and the system
 * calls that create, write, remove or connect are read back from its trace.
 */

const TRACED = 'openat,open,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,connect';

/** Why strace cannot watch a process here, or null when it can. */
function straceUnavailable(): string | null {
  const probe = spawnSync('strace', ['-f', '-o', '/dev/null', '-e', 'trace=openat', 'true'], { encoding: 'utf8' });
  if (probe.error) return `strace is not installed (${probe.error.message}); scripts/install.sh installs it`;
  if (probe.status !== 0) return `strace cannot trace a process here: ${probe.stderr.trim()}`;
  return null;
}

const unavailable = straceUnavailable();
if (unavailable) console.warn(`skipping the telemetry tests: ${unavailable}`);

interface Sandbox {
  /** The fresh HOME. */
  readonly home: string;
  readonly sa3Home: string;
  readonly out: string;
  readonly tmp: string;
  readonly traces: string;
  readonly env: Record<string, string>;
}

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/**
 * Fresh folders under one temporary root, and an environment that names only them: no XDG_*
 * folder, no SA3_* setting but SA3_HOME (unset when `sa3HomeInHome`, so the default
 * $HOME/.cache/sa3 is used) and no ORT_DISABLE_TELEMETRY from the caller.
 */
function sandbox(sa3HomeInHome: boolean): Sandbox {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'sa3-telemetry-')));
  roots.push(root);
  const [home, out, tmp, traces] = ['home', 'out', 'tmp', 'traces'].map((name) => join(root, name)) as [string, string, string, string];
  for (const dir of [home, out, tmp, traces]) mkdirSync(dir);
  const sa3Home = sa3HomeInHome ? join(home, '.cache', 'sa3') : join(root, 'sa3-home');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(XDG_|SA3_|ORT_)/.test(key) || ['TMP', 'TEMP'].includes(key)) continue;
    env[key] = value;
  }
  Object.assign(env, { HOME: home, TMPDIR: tmp, NO_COLOR: '1' }, sa3HomeInHome ? {} : { SA3_HOME: sa3Home });
  return { home, sa3Home, out, tmp, traces, env };
}

interface Traced {
  readonly pid: number;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/**
 * `node ...args` under `strace -ff` (one trace file per process or thread, so no call is split
 * across lines), through a shell that prints its pid and then becomes node, so the caller can
 * signal node itself. `onLine` sees each line node prints.
 */
function traced(box: Sandbox, name: string, args: readonly string[], onLine: (line: string) => void = () => {}): Promise<Traced> {
  const child = spawn(
    'strace',
    ['-ff', '-y', '-o', join(box.traces, name), '-e', `trace=${TRACED}`, 'sh', '-c', 'echo "$$"; exec "$0" "$@"', process.execPath, ...args],
    { cwd: box.out, env: box.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let pending = '';
  let pid: (value: number) => void = () => {};
  const pidKnown = new Promise<number>((resolvePid) => (pid = resolvePid));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (/^\d+$/.test(line)) pid(Number(line));
      else onLine(line);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveDone, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolveDone({ code, stdout, stderr }));
  });
  return Promise.race([pidKnown, done.then(() => -1)]).then((p) => ({ pid: p, done }));
}

const sa3 = (box: Sandbox, name: string, args: readonly string[], onLine?: (line: string) => void): Promise<Traced> =>
  traced(box, name, [cliPath, ...args], onLine);

interface Syscalls {
  /** Every path given to open, openat or creat, absolute. */
  readonly opened: Set<string>;
  /** `call path` for each successful call that created, wrote, renamed or removed a path. */
  readonly written: string[];
  /** `family address` for each connect(). */
  readonly connects: string[];
}

const STR = String.raw`"((?:[^"\\]|\\.)*)"`;
/** A directory fd as `strace -y` prints it: AT_FDCWD or a number, with the folder it names. */
const DIR = String.raw`(?:AT_FDCWD|\d+)(?:<([^>]*)>)?`;
const WRITE_FLAGS = /\b(O_WRONLY|O_RDWR|O_CREAT|O_TRUNC)\b/;

/** A path as strace quotes it, C escapes undone. */
function unquote(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, code: string) => {
    if (code.startsWith('x')) return String.fromCharCode(parseInt(code.slice(1), 16));
    if (/^[0-7]+$/.test(code)) return String.fromCharCode(parseInt(code, 8));
    return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[code] ?? code;
  });
}

/** Reads every trace file of `name`; relative paths are taken against the fd's folder, else `cwd`. */
function readTraces(box: Sandbox, name: string, cwd: string): Syscalls {
  const opened = new Set<string>();
  const written: string[] = [];
  const connects: string[] = [];
  const at = (dir: string | undefined, path: string): string => resolve(dir ?? cwd, unquote(path));
  const files = readdirSync(box.traces).filter((f) => f.startsWith(`${name}.`));
  expect(files.length, `no trace files for ${name}`).toBeGreaterThan(0);
  for (const file of files) {
    for (const line of readFileSync(join(box.traces, file), 'utf8').split('\n')) {
      const call = /^(\w+)\(/.exec(line)?.[1];
      if (!call) continue;
      const ok = !/\) += -1 /.test(line);
      let m: RegExpExecArray | null;
      if ((m = new RegExp(`^openat\\(${DIR}, ${STR}, ([A-Z0-9_|]+)`).exec(line)) || (m = new RegExp(`^open\\(()${STR}, ([A-Z0-9_|]+)`).exec(line))) {
        const path = at(m[1] || undefined, m[2]!);
        opened.add(path);
        if (ok && WRITE_FLAGS.test(m[3]!)) written.push(`${call} ${path}`);
      } else if ((m = new RegExp(`^(?:creat|mkdir|unlink)\\(()${STR}`).exec(line)) || (m = new RegExp(`^(?:mkdirat|unlinkat)\\(${DIR}, ${STR}`).exec(line))) {
        const path = at(m[1] || undefined, m[2]!);
        if (call === 'creat') opened.add(path);
        if (ok) written.push(`${call} ${path}`);
      } else if ((m = new RegExp(`^rename\\(()${STR}, ()${STR}`).exec(line)) || (m = new RegExp(`^renameat2?\\(${DIR}, ${STR}, ${DIR}, ${STR}`).exec(line))) {
        if (ok) written.push(`${call} ${at(m[1] || undefined, m[2]!)}`, `${call} ${at(m[3] || undefined, m[4]!)}`);
      } else if (call === 'connect') {
        const address = /\{sa_family=(\w+)(.*)\}, \d+\)/.exec(line);
        if (!address) connects.push(`unreadable ${line}`);
        else {
          const host = /(?:inet_addr\(|inet_pton\(AF_INET6, |sun_path=@?)"((?:[^"\\]|\\.)*)"/.exec(address[2]!)?.[1] ?? '';
          connects.push(`${address[1]} ${unquote(host)}`);
        }
      } else if (TRACED.split(',').includes(call)) {
        throw new Error(`unread trace line in ${file}: ${line}`);
      }
    }
  }
  return { opened, written, connects };
}

/**
 * Where a sa3 process may create, write, rename or remove: only the folders it was given. (Not
 * the repository nor node's own install either: they are read, never written.)
 */
const allowedRoots = (box: Sandbox): string[] => [box.sa3Home, box.out, box.tmp];

/** Character devices a process writes to without storing anything. */
const DEVICES = new Set(['/dev/null', '/dev/tty']);

function writtenOutside(box: Sandbox, calls: Syscalls): string[] {
  const roots = allowedRoots(box);
  const outside = calls.written.filter((entry) => {
    const [call, path] = [entry.slice(0, entry.indexOf(' ')), entry.slice(entry.indexOf(' ') + 1)];
    // Making SA3_HOME makes its missing parents (the default one is $HOME/.cache/sa3).
    if (call.startsWith('mkdir') && box.sa3Home.startsWith(`${path}/`)) return false;
    return !DEVICES.has(path) && !roots.some((root) => path === root || path.startsWith(`${root}/`));
  });
  return [...new Set(outside)].sort();
}

/** Telemetry reads the machine's identity from these. */
const MACHINE_IDS = ['/etc/machine-id', '/var/lib/dbus/machine-id'];
const isLocal = (connect: string): boolean => connect.startsWith('AF_UNIX ') || connect === 'AF_INET 127.0.0.1' || connect === 'AF_INET6 ::1';

/** What the traced command `name` did stayed on this machine and in its folders: no write outside them, no machine id read, no remote connection. */
function expectStayedLocal(box: Sandbox, name: string): void {
  const calls = readTraces(box, name, box.out);
  expect.soft(writtenOutside(box, calls), `${name}: written outside SA3_HOME, the output folder and TMPDIR`).toEqual([]);
  expect
    .soft(
      MACHINE_IDS.filter((path) => calls.opened.has(path)),
      `${name}: read the machine id`,
    )
    .toEqual([]);
  expect
    .soft(
      calls.connects.filter((c) => !isLocal(c)),
      `${name}: connected beyond this machine`,
    )
    .toEqual([]);
}

describe.skipIf(unavailable !== null)('sa3 never phones home (strace, fresh HOME)', () => {
  it('the trace reader sees each kind of reach it checks for, in a process made to do them', async () => {
    const box = sandbox(false);
    // UDP connect() sends nothing; 192.0.2.1 is a documentation address (RFC 5737).
    const script = `
      const fs = require('node:fs'), dgram = require('node:dgram'), home = process.env.HOME;
      fs.writeFileSync(home + '/planted', 'x');
      fs.renameSync(home + '/planted', home + '/renamed');
      fs.unlinkSync(home + '/renamed');
      fs.mkdirSync(home + '/made');
      try { fs.closeSync(fs.openSync('/etc/machine-id', 'r')); } catch {}
      const far = dgram.createSocket('udp4');
      far.connect(9, '192.0.2.1', () => {
        far.close();
        const near = dgram.createSocket('udp4');
        near.connect(9, '127.0.0.1', () => near.close());
      });`;
    const result = await (await traced(box, 'probe', ['-e', script])).done;
    expect(result.code, result.stderr).toBe(0);
    const calls = readTraces(box, 'probe', box.out);
    const home = box.home;
    expect(writtenOutside(box, calls)).toEqual([
      `mkdir ${home}/made`,
      `openat ${home}/planted`,
      `rename ${home}/planted`,
      `rename ${home}/renamed`,
      `unlink ${home}/renamed`,
    ]);
    expect(calls.opened).toContain('/etc/machine-id');
    expect([...calls.connects].sort()).toEqual(['AF_INET 127.0.0.1', 'AF_INET 192.0.2.1']);
    expect(calls.connects.filter((c) => !isLocal(c))).toEqual(['AF_INET 192.0.2.1']);
    expect(fileSet(home)).toEqual(['made/']);
  });

  it('sa3 models testpack + sa3 run: HOME holds only the default SA3_HOME, writes stay in SA3_HOME, the output folder and TMPDIR', async () => {
    const box = sandbox(true);
    const install = await (await sa3(box, 'testpack', ['models', 'testpack', '--id', 'small-music'])).done;
    expect(install.code, install.stderr).toBe(0);
    const run = await (await sa3(box, 'run', ['run', join(examplesDir, 'text-to-audio.json'), '--json', '--out', box.out])).done;
    expect(run.code, run.stderr).toBe(0);
    const done = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; report?: { status: string } })
      .find((event) => event.type === 'run-done');
    expect(done?.report?.status).toBe('succeeded');

    // Soft: a failing run reports every way it reached beyond its folders, not only the first.
    expect
      .soft(
        fileSet(box.home).filter((entry) => entry !== '.cache/' && !entry.startsWith('.cache/sa3/')),
        'HOME beyond SA3_HOME',
      )
      .toEqual([]);
    expect(fileSet(box.home)).toContain('.cache/sa3/packs/small-music/dit.onnx');
    for (const name of ['testpack', 'run']) expectStayedLocal(box, name);
    // The trace saw the engine at work: the run opened the pack's graphs and wrote its report.
    const runCalls = readTraces(box, 'run', box.out);
    expect(runCalls.opened).toContain(join(box.sa3Home, 'packs', 'small-music', 'dit.onnx'));
    expect(runCalls.written.some((entry) => entry.startsWith('rename ') && entry.endsWith('.report.json'))).toBe(true);
  });

  it('sa3 serve + one prediction: HOME stays empty, writes stay in SA3_HOME, the output folder and TMPDIR', async () => {
    const box = sandbox(false);
    const install = await (await sa3(box, 'testpack', ['models', 'testpack', '--id', 'small-music'])).done;
    expect(install.code, install.stderr).toBe(0);
    let listening: (url: string) => void = () => {};
    const url = new Promise<string>((resolveUrl) => (listening = resolveUrl));
    const server = await sa3(box, 'serve', ['serve', '--port', '0', '--outputs', box.out], (line) => {
      const match = /^sa3 serve: listening on (http:\/\/\S+)/.exec(line);
      if (match) listening(match[1]!);
    });
    expect(server.pid).toBeGreaterThan(0);
    const base = await Promise.race([url, server.done.then((r) => Promise.reject(new Error(`sa3 serve exited (${r.code}): ${r.stderr}`)))]);
    const response = await fetch(`${base}/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { prompt: 'a soft mid tone', duration: 2, seed: 7 } }),
    });
    const body = (await response.json()) as { status: string; output: string };
    process.kill(server.pid, 'SIGTERM');
    const stopped = await server.done;
    expect(response.status).toBe(200);
    expect(body.status).toBe('succeeded');
    expect(body.output).toMatch(/^data:audio\/wav;base64,/);
    expect(stopped.code, stopped.stderr).toBe(0);

    expect.soft(fileSet(box.home), 'HOME').toEqual([]);
    for (const name of ['testpack', 'serve']) expectStayedLocal(box, name);
    expect(readTraces(box, 'serve', box.out).opened).toContain(join(box.sa3Home, 'packs', 'small-music', 'dit.onnx'));
  });
});
