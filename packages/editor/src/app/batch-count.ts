import { MAX_BATCH } from './store/index.js';

const KEY = 'sa3.batchCount';

/** The batch count this browser last used (1 when none was kept or storage is off). */
export function keptBatchCount(): number {
  try {
    const value = Number(window.localStorage.getItem(KEY));
    return Number.isInteger(value) && value >= 1 && value <= MAX_BATCH ? value : 1;
  } catch {
    return 1;
  }
}

export function keepBatchCount(count: number): void {
  try {
    window.localStorage.setItem(KEY, String(count));
  } catch {
    /* storage is off (private mode): the count lasts until the page closes */
  }
}
