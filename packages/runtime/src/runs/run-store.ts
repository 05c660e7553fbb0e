import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { LoudnessMeasurement, RunStatus, ServedRunReport } from '@sa3/nodes';
import type { RunReport } from '../executor/index.js';
import { fsErrorSentence, removeLeftoversOfDeadProcesses, type LeftoverOptions } from '../files/index.js';
import type { Workflow } from '../workflow/index.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { downloadName, uniqueNames } from './download-name.js';
import { seedLeadingTo } from './node-seed.js';
import type { RunIndex } from './run-index.js';
import { openRunIndex } from './open-run-index.js';
import type { RunRow, StoredEntry, StoredOutput, StoredRun } from './stored-run.js';

/** What the caller measured of one output file (the store itself decodes no audio). */
export interface OutputFacts {
  readonly durationSeconds: number | null;
  readonly peaks: readonly (readonly [number, number])[] | null;
  readonly loudness?: LoudnessMeasurement;
}

/** A run that has ended, handed to the store. */
export interface RunToStore {
  readonly id: string;
  readonly workflow: Workflow;
  readonly workflowName?: string;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly status: RunStatus;
  /** The report with the outputs' absolute paths, which the store copies from. */
  readonly report?: RunReport;
  /** The same report as clients may see it. */
  readonly servedReport?: ServedRunReport;
  /** Measures an output once it is in the store (`path`: its place there). */
  readonly facts?: (path: string, file: { readonly node: string; readonly path: string; readonly mime: string }) => Promise<OutputFacts>;
}

export interface RunStoreOptions {
  /** Retention: above this many bytes, the oldest unpinned runs are removed (the run just stored stays). */
  readonly maxBytes: number;
}

export type StoreOutcome = { readonly stored: true; readonly removed: readonly string[] } | { readonly stored: false; readonly problem: string };

const RUN_ID = /^[A-Za-z0-9_-]{1,100}$/;
const STAGING = /^\.staging-[A-Za-z0-9_-]+\.(\d+)$/;
const RECORD = 'run.json';
const WORKFLOW = 'workflow.json';
const OUTPUTS = 'outputs';

/** SA3_RUNS_MAX_MB (megabytes, fractions allowed), 2048 when unset or unreadable. */
export function runsMaxBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.SA3_RUNS_MAX_MB);
  return Number.isFinite(mb) && mb > 0 ? Math.round(mb * 1024 * 1024) : 2048 * 1024 * 1024;
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

function promptsOf(workflow: Workflow): string[] {
  return workflow.nodes.filter((n) => n.type === 'sa3.prompt' && typeof n.params.text === 'string').map((n) => n.params.text as string);
}

function isStoredRun(value: unknown, id: string): value is StoredRun {
  const run = value as StoredRun | null;
  return typeof run === 'object' && run !== null && run.format === 'sa3-stored-run' && run.id === id && Array.isArray(run.outputs);
}

/**
 * Finished runs kept under one folder (SA3_HOME/runs): per run <id>/ with workflow.json, run.json
 * (seeds, report, outputs with their download names and waveforms) and outputs/, and an SQLite
 * index for paging, pins and retention. A run folder appears whole (built beside and renamed into
 * place) or not at all.
 */
export class RunStore {
  private readonly index: RunIndex;
  private readonly writes = new Set<Promise<unknown>>();
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
    index: RunIndex,
    /** One sentence when the index could not be read and was rebuilt on open; null otherwise. */
    readonly notice: string | null,
  ) {
    this.index = index;
  }

  /** Opens (creating) the store, removes what killed processes left half-built, and indexes run folders the index lacks. */
  static async open(dir: string, options: RunStoreOptions, leftovers: LeftoverOptions = {}): Promise<RunStore> {
    await mkdir(dir, { recursive: true }).catch((error: unknown) => {
      const sentence = fsErrorSentence(error, 'cannot create the run store folder', dir, 'write');
      throw sentence ? new Error(`${sentence}; set SA3_HOME to a folder this user may write`, { cause: error }) : error;
    });
    const { index, notice } = await openRunIndex(join(dir, 'index.sqlite'));
    const store = new RunStore(dir, options.maxBytes, index, notice);
    await removeLeftoversOfDeadProcesses(dir, STAGING, leftovers);
    await store.indexUnindexedFolders();
    return store;
  }

  private runDir(id: string): string {
    return join(this.dir, id);
  }

  private async indexUnindexedFolders(): Promise<void> {
    const known = this.index.ids();
    for (const entry of await readdir(this.dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !RUN_ID.test(entry.name) || known.has(entry.name)) continue;
      const dir = this.runDir(entry.name);
      const run = await readFile(join(dir, RECORD), 'utf8').then(
        (text) => JSON.parse(text) as unknown,
        () => null,
      );
      const info = await stat(dir);
      this.index.insert({
        id: entry.name,
        createdAt: isStoredRun(run, entry.name) ? run.createdAt : info.mtime.toISOString(),
        workflowName: isStoredRun(run, entry.name) ? run.workflowName : null,
        status: isStoredRun(run, entry.name) ? run.status : 'failed',
        pinned: false,
        bytes: await folderBytes(dir),
      });
    }
  }

  /** Waits for every store write begun so far. */
  async settled(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  /**
   * Keeps a run that has ended. On a write failure (a full disk, say) nothing of it is left in the
   * store and the outcome says why in one sentence; the run itself is not affected.
   */
  put(run: RunToStore): Promise<StoreOutcome> {
    // One write at a time, in the order asked: retention after each sees every run stored before it.
    const write = this.queue.then(() => this.write(run));
    this.queue = write.then(
      () => undefined,
      () => undefined,
    );
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
    return write;
  }

  private async write(run: RunToStore): Promise<StoreOutcome> {
    if (!RUN_ID.test(run.id)) return { stored: false, problem: `the run store keeps no run with the id "${run.id}"; ids are letters, digits, - and _` };
    const staging = join(this.dir, `.staging-${run.id}.${process.pid}`);
    try {
      await rm(staging, { recursive: true, force: true });
      await mkdir(join(staging, OUTPUTS), { recursive: true });
      const seeds = run.report?.seeds ?? {};
      const files = run.report?.outputs ?? [];
      const names = uniqueNames(
        files.map((file) =>
          downloadName(run.workflow.name ?? run.workflowName ?? null, file.node, seedLeadingTo(run.workflow, seeds, file.node), extname(file.path)),
        ),
      );
      const outputs: StoredOutput[] = [];
      for (const [i, file] of files.entries()) {
        const target = resolve(staging, OUTPUTS, file.path);
        if (!target.startsWith(resolve(staging, OUTPUTS) + sep)) continue;
        await mkdir(dirname(target), { recursive: true });
        // A hard link costs no space when the outputs folder is on the same disk; a copy otherwise.
        await link(file.absolutePath, target).catch(() => copyFile(file.absolutePath, target));
        const facts = (await run.facts?.(target, file).catch(() => null)) ?? { durationSeconds: null, peaks: null };
        outputs.push({ node: file.node, output: file.path, fileName: names[i]!, mime: file.mime, bytes: file.bytes, sha256: file.sha256, ...facts });
      }
      const record: StoredRun = {
        format: 'sa3-stored-run',
        version: 1,
        id: run.id,
        workflowName: run.workflow.name ?? run.workflowName ?? null,
        createdAt: run.createdAt,
        startedAt: run.startedAt ?? null,
        finishedAt: run.finishedAt ?? null,
        status: run.status,
        prompts: promptsOf(run.workflow),
        seeds,
        durationMs: run.report?.durationMs ?? null,
        ...(run.servedReport?.error ? { error: run.servedReport.error.message } : {}),
        outputs,
        report: run.servedReport ?? null,
      };
      await writeFile(join(staging, WORKFLOW), JSON.stringify(run.workflow, null, 2) + '\n');
      await writeFile(join(staging, RECORD), JSON.stringify(record) + '\n');
      const bytes = await folderBytes(staging);
      await rm(this.runDir(run.id), { recursive: true, force: true });
      await rename(staging, this.runDir(run.id));
      this.index.insert({ id: run.id, createdAt: run.createdAt, workflowName: record.workflowName, status: run.status, pinned: false, bytes });
    } catch (error) {
      await rm(staging, { recursive: true, force: true }).catch(() => undefined);
      // Named by the store's folder, not by the file the failing call touched (a source output, a staging file).
      const code = (error as NodeJS.ErrnoException).code;
      const doing = `could not keep run ${run.id} in ${this.dir}`;
      const sentence =
        fsErrorSentence(Object.assign(new Error(code), { code }), doing) ?? `${doing}: ${error instanceof Error ? error.message : String(error)}`;
      return { stored: false, problem: `the run store ${sentence}; the run and its outputs are unaffected` };
    }
    return { stored: true, removed: await this.enforceRetention(run.id) };
  }

  /** Removes the oldest unpinned runs (never `keep`) while the store is above its size; returns their ids. */
  async enforceRetention(keep?: string): Promise<string[]> {
    const removed: string[] = [];
    let total = this.index.totalBytes();
    for (const row of this.index.oldestUnpinned()) {
      if (total <= this.maxBytes) break;
      if (row.id === keep) continue;
      await this.delete(row.id);
      total -= row.bytes;
      removed.push(row.id);
    }
    return removed;
  }

  /** A page of runs, the newest first; `cursor` is a page's nextCursor. Null when the cursor is not one this store made. */
  async list(options: { limit: number; cursor?: string }): Promise<{ entries: StoredEntry[]; nextCursor?: string } | null> {
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    if (after === null) return null;
    const rows = this.index.page(options.limit + 1, after);
    const page = rows.slice(0, options.limit);
    const entries = await Promise.all(page.map((row) => this.entryOf(row)));
    const last = page[page.length - 1];
    return rows.length > options.limit && last ? { entries, nextCursor: encodeCursor(last) } : { entries };
  }

  async get(id: string): Promise<StoredEntry | undefined> {
    const row = RUN_ID.test(id) ? this.index.get(id) : undefined;
    return row && this.entryOf(row);
  }

  /** The workflow JSON a stored run ran, or null when it cannot be read. */
  async workflowOf(id: string): Promise<unknown> {
    if (!RUN_ID.test(id)) return null;
    return readFile(join(this.runDir(id), WORKFLOW), 'utf8').then(
      (text) => JSON.parse(text) as unknown,
      () => null,
    );
  }

  /** Where an output of a stored run is on disk, or undefined when the run has no such output. */
  outputPath(entry: StoredEntry, output: string): string | undefined {
    if (!entry.run?.outputs.some((o) => o.output === output)) return undefined;
    const root = resolve(this.runDir(entry.row.id), OUTPUTS);
    const target = resolve(root, output);
    return target.startsWith(root + sep) ? target : undefined;
  }

  private async entryOf(row: RunRow): Promise<StoredEntry> {
    const dir = this.runDir(row.id);
    const recordPath = join(dir, RECORD);
    const missingOutputs = new Map<string, string>();
    let text: string;
    try {
      text = await readFile(recordPath, 'utf8');
    } catch (error) {
      const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
      const folderThere =
        gone &&
        (await stat(dir).then(
          () => true,
          () => false,
        ));
      const problem = !gone
        ? `run ${row.id} cannot be read: ${fsErrorSentence(error, 'cannot read', recordPath) ?? String(error)}`
        : folderThere
          ? `run ${row.id} has lost its record ${recordPath}; only its index entry is left, delete it to clear it`
          : `run ${row.id} has lost its folder ${dir}; only its index entry is left, delete it to clear it`;
      return { row, run: null, problem, missingOutputs };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return {
        row,
        run: null,
        problem: `run ${row.id} has a corrupt record ${recordPath} (${(error as Error).message}); delete the run or restore the file`,
        missingOutputs,
      };
    }
    if (!isStoredRun(parsed, row.id))
      return { row, run: null, problem: `run ${row.id} has a record ${recordPath} that is not a stored run of this id`, missingOutputs };
    for (const output of parsed.outputs) {
      const path = join(dir, OUTPUTS, output.output);
      const there = await stat(path).then(
        (s) => s.isFile(),
        () => false,
      );
      if (!there)
        missingOutputs.set(output.output, `${output.fileName} is missing from the run store (${path})${row.pinned ? ', although the take is pinned' : ''}`);
    }
    return { row, run: parsed, missingOutputs };
  }

  /** Pins or unpins a run; false when there is no such run. */
  pin(id: string, pinned: boolean): boolean {
    return RUN_ID.test(id) && this.index.setPinned(id, pinned);
  }

  /** Removes a run's folder and its row; false when there is no such run. */
  async delete(id: string): Promise<boolean> {
    if (!RUN_ID.test(id) || !this.index.get(id)) return false;
    // The folder goes first: a row without a folder lists as one sentence, a folder without a row is indexed again on open.
    await rm(this.runDir(id), { recursive: true, force: true });
    this.index.remove(id);
    return true;
  }

  close(): void {
    this.index.close();
  }
}
