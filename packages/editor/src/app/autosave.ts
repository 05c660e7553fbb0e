const KEY = 'sa3-editor:autosave';

/** The unsaved graph, kept across reloads so an accidental refresh loses nothing. */
export const autosave = {
  load(): string | null {
    try {
      return localStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  save(text: string): void {
    try {
      localStorage.setItem(KEY, text);
    } catch {
      /* storage full or disabled: autosave is best effort */
    }
  },
};

/** Calls `fn` once things have been quiet for `ms` (many events arrive per user action). */
export function debounce(fn: () => void, ms: number): { (): void; flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (): void => {
    timer = undefined;
    fn();
  };
  const debounced = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  debounced.flush = (): void => {
    if (timer !== undefined) {
      clearTimeout(timer);
      run();
    }
  };
  return debounced;
}
