import type { Problem } from '../workflow/index.js';
import type { Style } from './terminal.js';

export function formatProblems(file: string, problems: readonly Problem[], style: Style): string {
  const lines = [style.red(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`)];
  for (const p of problems) {
    const where = [p.node && `node ${p.node}`, p.param && `param ${p.param}`, p.input && `input ${p.input}`].filter(Boolean).join(', ');
    lines.push(`  ${style.yellow(p.code)}${where ? style.dim(` [${where}]`) : ''} ${p.message}`);
  }
  return lines.join('\n');
}
