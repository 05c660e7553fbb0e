/** Where the original file names of uploads are kept in the browser, so a reload still shows "kick.wav" rather than the upload id. */
const STORAGE_KEY = 'sa3.uploadNames';
/** Enough names for an afternoon's uploads; the oldest are dropped first. */
const KEPT = 200;

function stored(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

const names = new Map<string, string>(Object.entries(stored()));

/** Remembers the name a file had on the user's disk under the upload id the server gave it. */
export function rememberUploadName(id: string, name: string): void {
  names.delete(id);
  names.set(id, name);
  while (names.size > KEPT) names.delete(names.keys().next().value!);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(names)));
  } catch {
    /* storage full or blocked: the name lasts as long as the page */
  }
}

/** The original name of an uploaded file, when this browser uploaded it. */
export function uploadName(id: string): string | undefined {
  return names.get(id);
}

/** How a source param reads to people: an upload by the name it had on their disk, else as written. */
export function sourceLabel(source: string): string {
  return (source.startsWith('upload:') ? uploadName(source.slice('upload:'.length)) : undefined) ?? source;
}
