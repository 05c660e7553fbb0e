import Database from 'better-sqlite3';
import type { HistoryCursor } from './cursor.js';
import type { RunRow } from './stored-run.js';

interface Row {
  id: string;
  created_at: string;
  workflow_name: string | null;
  status: string;
  pinned: number;
  bytes: number;
}

const toRunRow = (row: Row): RunRow => ({
  id: row.id,
  createdAt: row.created_at,
  workflowName: row.workflow_name,
  status: row.status,
  pinned: row.pinned === 1,
  bytes: row.bytes,
});

/** The SQLite index of the run store (<runs>/index.sqlite): one row per stored run, for paging, pins and retention. */
export class RunIndex {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS runs (
      id TEXT PRIMARY KEY,
      created_at TEXT NOT NULL,
      workflow_name TEXT,
      status TEXT NOT NULL,
      pinned INTEGER NOT NULL DEFAULT 0,
      bytes INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS runs_by_time ON runs (created_at DESC, id DESC);`);
  }

  insert(row: RunRow): void {
    this.db
      .prepare('INSERT OR REPLACE INTO runs (id, created_at, workflow_name, status, pinned, bytes) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.id, row.createdAt, row.workflowName, row.status, row.pinned ? 1 : 0, row.bytes);
  }

  get(id: string): RunRow | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
    return row && toRunRow(row);
  }

  /** Up to `limit` rows older than `after` (all when absent), the newest first. */
  page(limit: number, after?: HistoryCursor): RunRow[] {
    const rows = after
      ? this.db.prepare('SELECT * FROM runs WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?').all(after.createdAt, after.id, limit)
      : this.db.prepare('SELECT * FROM runs ORDER BY created_at DESC, id DESC LIMIT ?').all(limit);
    return (rows as Row[]).map(toRunRow);
  }

  ids(): Set<string> {
    return new Set((this.db.prepare('SELECT id FROM runs').all() as { id: string }[]).map((r) => r.id));
  }

  setPinned(id: string, pinned: boolean): boolean {
    return this.db.prepare('UPDATE runs SET pinned = ? WHERE id = ?').run(pinned ? 1 : 0, id).changes > 0;
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
  }

  totalBytes(): number {
    return (this.db.prepare('SELECT COALESCE(SUM(bytes), 0) AS total FROM runs').get() as { total: number }).total;
  }

  /** Unpinned runs, the oldest first: what retention removes, in order. */
  oldestUnpinned(): RunRow[] {
    return (this.db.prepare('SELECT * FROM runs WHERE pinned = 0 ORDER BY created_at ASC, id ASC').all() as Row[]).map(toRunRow);
  }

  close(): void {
    this.db.close();
  }
}
