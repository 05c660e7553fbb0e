/** 1234567 -> "1.2 MB": decimal units, as download sizes are usually given. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** Gigabytes with one decimal (at least 0.1), for disk space sentences. */
export function formatGigabytes(bytes: number): string {
  return Math.max(0.1, Math.ceil(bytes / 1e8) / 10).toFixed(1);
}
