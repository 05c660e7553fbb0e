import type { WorkflowWarning } from '../workflow/index.js';
import type { Style } from './terminal.js';

/** Warnings under the same layout as problems, for a file that is valid all the same. */
export function formatWarnings(file: string, warnings: readonly WorkflowWarning[], style: Style): string {
  const lines = [style.yellow(`${file}: ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`)];
  for (const w of warnings) {
    const where = [w.node && `node ${w.node}`, w.param && `param ${w.param}`].filter(Boolean).join(', ');
    lines.push(`  ${style.yellow(w.code)}${where ? style.dim(` [${where}]`) : ''} ${w.message}`);
  }
  return lines.join('\n');
}
