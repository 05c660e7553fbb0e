import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEventSchema, runEventTypes, type Problem, type RunEvent, type RunReport } from '@sa3/nodes';
import type { ImportResult, Migration, PullEvent, RemoveResult, WorkflowWarning } from '@sa3/runtime';
import { cliPath } from './paths.js';

/** The JSON lines of `sa3 … --json` that are not run events. */
export type CliMessage =
  /** `run` and `generate`: the workflow or an argument was refused before the run started. */
  | { readonly type: 'invalid'; readonly problems: readonly Problem[] }
  /** `models pull`: every event of the pull, then `cancelled` on Ctrl+C. */
  | PullEvent
  | { readonly type: 'cancelled'; readonly id: string; readonly message: string }
  | ({ readonly type: 'imported' } & ImportResult)
  | { readonly type: 'verified'; readonly id: string; readonly dir: string; readonly files: number }
  | ({ readonly type: 'removed'; readonly id: string } & RemoveResult)
  /** `models convert`: progress within each part, then the installed pack. */
  | { readonly type: 'progress'; readonly part: string; readonly done: number; readonly total: number }
  | { readonly type: 'converted'; readonly id: string; readonly dir: string }
  /** `models …`: why the command failed. */
  | { readonly type: 'error'; readonly code: string; readonly message: string; readonly file?: string };

/** What `sa3 validate --json` prints: one line, with no `type`. */
export interface ValidationLine {
  readonly type?: never;
  readonly valid: boolean;
  readonly problems: readonly Problem[];
  /** Absent when the file could not be read. */
  readonly warnings?: readonly WorkflowWarning[];
  readonly migrations?: readonly Migration[];
}

/** A run event as the CLI prints it: its final events carry the whole report, absolute output paths included. */
export type CliRunEvent = RunEvent extends infer E ? (E extends { readonly report: unknown } ? Omit<E, 'report'> & { readonly report: RunReport } : E) : never;

/** One JSON line the CLI printed on stdout. */
export type CliLine = CliRunEvent | CliMessage | ValidationLine;
export type CliLineType = NonNullable<CliLine['type']>;
export type CliLineOfType<T extends CliLineType> = Extract<CliLine, { readonly type: T }>;

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON lines, where it is; run events are checked against the shared contract. */
  readonly events: CliLine[];
}

/** The lines of one type, e.g. `eventsOfType(result, 'node-done')`, typed as that line. */
export function eventsOfType<T extends CliLineType>(result: CliResult, type: T): CliLineOfType<T>[] {
  return result.events.filter((e): e is CliLineOfType<T> => e.type === type);
}

/** The first line of one type, if there is one. */
export function eventOfType<T extends CliLineType>(result: CliResult, type: T): CliLineOfType<T> | undefined {
  return eventsOfType(result, type)[0];
}

/** The last line, which must be of `type` (e.g. the `run-done` that ends a run); throws otherwise. */
export function lastEventOfType<T extends CliLineType>(result: CliResult, type: T): CliLineOfType<T> {
  const last = result.events.at(-1);
  if (last?.type !== type) throw new Error(`the last JSON line is not "${type}":\n${result.stdout}`);
  return last as CliLineOfType<T>;
}

/** The line `sa3 validate --json` printed first; throws when it is not a validation result. */
export function validationOf(result: CliResult): ValidationLine {
  const [line] = result.events;
  if (line === undefined || !('valid' in line)) throw new Error(`sa3 validate printed no validation result first:\n${result.stdout}`);
  return line;
}

const runEventTypeSet: ReadonlySet<string> = new Set(runEventTypes);

/** One stdout line as JSON, or null where it is not; a line with a run event's type must be that event. */
function parseLine(line: string): CliLine | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const type = (value as { type?: unknown }).type;
  if (typeof type === 'string' && runEventTypeSet.has(type)) {
    const checked = runEventSchema.safeParse(value);
    if (!checked.success) throw new Error(`a "${type}" event does not match the run event schema: ${checked.error.message}\n${line}`);
  }
  return value as CliLine;
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
      let events: CliLine[];
      try {
        events = stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .flatMap((l) => parseLine(l) ?? []);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      resolve({ code, signal, stdout, stderr, events });
    });
    child.stdin.end(options.input ?? '');
  });
}

export function tempDir(prefix = 'sa3-e2e-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}
