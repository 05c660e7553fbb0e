/** The longest a request may be held with Prefer: wait, in seconds (as the hosted API). */
export const MAX_WAIT_SECONDS = 60;

/**
 * How long `Prefer: wait` or `Prefer: wait=N` asks the server to hold a new prediction's
 * request: null without it, the seconds with it, or a sentence when N is not 1-60.
 */
export function preferredWait(header: string | string[] | undefined): number | null | { error: string } {
  const text = (Array.isArray(header) ? header.join(',') : (header ?? '')).trim();
  for (const preference of text.split(/[,;]/)) {
    const [name, value] = preference.split('=').map((part) => part.trim());
    if (name?.toLowerCase() !== 'wait') continue;
    if (value === undefined || value === '') return MAX_WAIT_SECONDS;
    const seconds = Number(value);
    if (!/^\d+$/.test(value) || seconds < 1 || seconds > MAX_WAIT_SECONDS)
      return { error: `the Prefer header's wait=${value} must be a whole number of seconds from 1 to ${MAX_WAIT_SECONDS}` };
    return seconds;
  }
  return null;
}
