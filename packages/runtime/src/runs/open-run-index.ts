import { rename } from 'node:fs/promises';
import { RunIndex } from './run-index.js';

/**
 * Opens the store's SQLite index. One that SQLite cannot read (not a database, corrupt) is set
 * aside under a dated name and a new one made, which the store then fills from its run folders;
 * the notice says so in one sentence.
 */
export async function openRunIndex(path: string): Promise<{ index: RunIndex; notice: string | null }> {
  try {
    return { index: new RunIndex(path), notice: null };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('SQLITE_')) throw error;
    const aside = `${path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(path, aside);
    for (const suffix of ['-wal', '-shm']) await rename(`${path}${suffix}`, `${aside}${suffix}`).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    return {
      index: new RunIndex(path),
      notice: `the run store's index ${path} could not be read (${reason}); it was set aside as ${aside} and rebuilt from the run folders, so pins must be set again`,
    };
  }
}
