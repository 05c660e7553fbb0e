/** Where a page of the history ends: the last run's creation time and id (runs are listed newest first, ties by id). */
export interface HistoryCursor {
  readonly createdAt: string;
  readonly id: string;
}

export function encodeCursor(cursor: HistoryCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

/** The cursor a client sent back, or null when it is not one this store made. */
export function decodeCursor(text: string): HistoryCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string')
      return { createdAt: value[0], id: value[1] };
  } catch {
    /* not ours */
  }
  return null;
}
