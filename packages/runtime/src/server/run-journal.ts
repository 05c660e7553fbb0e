import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunErrorReport, RunReport } from '../executor/index.js';
import { processAlive, removeLeftoversOfDeadProcesses, sha256Hex } from '../files/index.js';
import { serializeWorkflow, type Workflow } from '../workflow/index.js';

/** A run the server has accepted and not yet finished, as <output dir>/.sa3-runs/<id>.json records it. */
export interface JournalEntry {
  readonly format: 'sa3-run-journal';
  readonly version: 1;
  readonly id: string;
  /** The server process that accepted the run, and which start of it (a pid comes back after a container restart). */
  readonly pid: number;
  readonly instance: string;
  readonly status: 'queued' | 'running' | 'interrupted';
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly workflowName?: string;
  readonly workflow: Workflow;
  /** Why an interrupted run stopped. */
  readonly reason?: string;
  /** The run went to a job on the Redis queue (sa3 serve --redis): a server started with --redis follows that job instead of reporting the run interrupted. */
  readonly onQueue?: boolean;
  /** What the API the run was asked through needs to answer it again after a restart (a prediction's request); the journal does not read it. */
  readonly origin?: RunOrigin;
}

/** The API a run was asked through and what it keeps of the request, as JSON; each API reads back its own. */
export interface RunOrigin {
  readonly api: string;
  readonly [field: string]: unknown;
}

/** A run a server that is gone left unfinished, as the next one reports it. */
export interface InterruptedRun {
  readonly entry: JournalEntry;
  readonly reason: string;
  readonly report: RunReport;
}

const ENTRY = /^([A-Za-z0-9_-]{1,100})\.json$/;
const TEMP = /^\..+\.(\d+)\.tmp$/;

function interruptedReport(entry: JournalEntry, reason: string): RunReport {
  const startedAt = entry.startedAt ?? entry.createdAt;
  const finishedAt = entry.finishedAt ?? new Date().toISOString();
  const error: RunErrorReport = { code: 'run_interrupted', message: reason, kind: 'run' };
  return {
    format: 'sa3-run-report',
    version: 1,
    runId: entry.id,
    workflow: { ...(entry.workflow.name ? { name: entry.workflow.name } : {}), sha256: sha256Hex(serializeWorkflow(entry.workflow)) },
    status: 'failed',
    startedAt,
    finishedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    seeds: {},
    nodes: [],
    outputs: [],
    cacheHits: 0,
    error,
  };
}

function reasonFor(entry: JournalEntry): string {
  const when = entry.status === 'running' ? 'while this run was running' : 'before this run could start';
  return `the server (pid ${entry.pid}) stopped ${when}, killed or crashed before it could finish it; nothing was written to its output folder, so run it again`;
}

/**
 * The runs a server has in hand, on disk: written when a run is accepted and when it starts,
 * removed when it ends. What a killed server leaves here, the next one reports as interrupted
 * (and keeps, so it is still reported after later restarts).
 */
export class RunJournal {
  /** This start of this process: entries it writes are its own even when an earlier process had the same pid. */
  readonly instance = randomBytes(8).toString('hex');
  private readonly writes = new Map<string, Promise<void>>();
  /** The folder was made by an earlier write: later ones go straight to the file (and make it again if it went). */
  private dirMade = false;

  constructor(readonly dir: string) {}

  private path(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  /** Writes (or rewrites) a run's entry; writes of one run happen in the order asked. */
  record(entry: Omit<JournalEntry, 'format' | 'version' | 'pid' | 'instance'>): Promise<void> {
    const full: JournalEntry = { format: 'sa3-run-journal', version: 1, pid: process.pid, instance: this.instance, ...entry };
    return this.chain(entry.id, async () => {
      const temp = join(this.dir, `.${entry.id}.${process.pid}.tmp`);
      const write = async (): Promise<void> => {
        await writeFile(temp, JSON.stringify(full));
        await rename(temp, this.path(entry.id));
      };
      if (this.dirMade) {
        const gone = await write().then(
          () => false,
          (error: NodeJS.ErrnoException) => {
            if (error.code !== 'ENOENT') throw error;
            return true;
          },
        );
        if (!gone) return;
      }
      await mkdir(this.dir, { recursive: true });
      this.dirMade = true;
      await write();
    });
  }

  /** Removes a finished run's entry. */
  forget(id: string): Promise<void> {
    return this.chain(id, () => rm(this.path(id), { force: true }));
  }

  private chain(id: string, write: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(id) ?? Promise.resolve()).then(write).catch(() => undefined);
    this.writes.set(id, next);
    void next.then(() => {
      if (this.writes.get(id) === next) this.writes.delete(id);
    });
    return next;
  }

  /** Waits for every write asked so far. */
  async flush(): Promise<void> {
    await Promise.all([...this.writes.values()]);
  }

  /**
   * The runs of servers that are gone: their entries are marked interrupted (with the reason)
   * and returned with those marked before. Entries of a running server (another one sharing
   * the folder) are left alone; with `ownPidIsPast`, entries under this process's pid from
   * another start of it count as gone.
   */
  async recover(options: { ownPidIsPast?: boolean } = {}): Promise<InterruptedRun[]> {
    return (await this.takeOver(options)).interrupted;
  }

  /**
   * As recover, but with `followQueue` the unfinished runs that went to a Redis queue job are
   * handed back as they are (`adoptable`), for this server to follow their jobs; the others are
   * interrupted.
   */
  async takeOver(options: { ownPidIsPast?: boolean; followQueue?: boolean } = {}): Promise<{ interrupted: InterruptedRun[]; adoptable: JournalEntry[] }> {
    await removeLeftoversOfDeadProcesses(this.dir, TEMP, options);
    const recovered: InterruptedRun[] = [];
    const adoptable: JournalEntry[] = [];
    for (const name of (await readdir(this.dir).catch(() => [] as string[])).sort()) {
      const id = ENTRY.exec(name)?.[1];
      if (!id) continue;
      let entry: JournalEntry | null;
      try {
        entry = JSON.parse(await readFile(this.path(id), 'utf8')) as JournalEntry | null;
      } catch {
        continue; // unreadable: left for a person to look at
      }
      if (entry?.format !== 'sa3-run-journal' || entry.id !== id || typeof entry.workflow !== 'object' || entry.workflow === null) continue;
      if (entry.status !== 'interrupted') {
        const ours = entry.pid === process.pid && (entry.instance === this.instance || !options.ownPidIsPast);
        if (ours || (entry.pid !== process.pid && processAlive(entry.pid))) continue;
        if (options.followQueue && entry.onQueue) {
          adoptable.push(entry);
          continue;
        }
      }
      const reason = entry.reason ?? reasonFor(entry);
      const report = interruptedReport(entry, reason);
      const marked: JournalEntry = { ...entry, status: 'interrupted', reason, finishedAt: report.finishedAt! };
      if (entry.status !== 'interrupted') {
        await this.chain(id, async () => {
          const temp = join(this.dir, `.${id}.${process.pid}.tmp`);
          await writeFile(temp, JSON.stringify(marked));
          await rename(temp, this.path(id));
        });
      }
      recovered.push({ entry: marked, reason, report });
    }
    return { interrupted: recovered, adoptable };
  }
}
