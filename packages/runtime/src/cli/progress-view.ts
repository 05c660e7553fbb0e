import type { RunEvent } from '../executor/index.js';
import type { Style } from './terminal.js';

interface Row {
  id: string;
  type: string;
  state: 'waiting' | 'running' | 'done' | 'cached' | 'failed';
  step?: number;
  total?: number;
  phase?: string;
  ms?: number;
  note?: string;
}

const BAR_WIDTH = 24;

function bar(step: number, total: number): string {
  const filled = total > 0 ? Math.round((step / total) * BAR_WIDTH) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${step}/${total}`;
}

/**
 * Shows a run as one line per node: a live redrawn table on a terminal, plain lines otherwise.
 */
export class ProgressView {
  private readonly rows = new Map<string, Row>();
  private drawnLines = 0;
  private lastDraw = 0;
  private readonly live: boolean;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly style: Style,
  ) {
    this.live = out.isTTY === true;
  }

  handle(event: RunEvent): void {
    switch (event.type) {
      case 'run-start':
        for (const id of event.order) this.rows.set(id, { id, type: '', state: 'waiting' });
        break;
      case 'node-start':
        Object.assign(this.row(event.node), { type: event.nodeType, state: 'running' });
        break;
      case 'node-progress':
        Object.assign(this.row(event.node), { state: 'running', step: event.step, total: event.total, phase: event.phase });
        break;
      case 'node-cached':
        Object.assign(this.row(event.node), { type: event.nodeType, state: 'cached' });
        this.plain(`${this.style.cyan('cached')} ${event.node} (${event.nodeType})`);
        break;
      case 'node-done':
        Object.assign(this.row(event.node), { type: event.nodeType, state: 'done', ms: event.ms });
        this.plain(`${this.style.green('done')}   ${event.node} (${event.nodeType}) ${(event.ms / 1000).toFixed(2)} s`);
        break;
      case 'node-error':
        Object.assign(this.row(event.node), { type: event.nodeType, state: 'failed', note: event.message });
        this.plain(`${this.style.red('failed')} ${event.node} (${event.nodeType}): ${event.message}`);
        break;
      default:
        break;
    }
    const final = event.type === 'run-done' || event.type === 'run-error' || event.type === 'run-cancelled';
    this.draw(final || event.type !== 'node-progress');
  }

  private row(id: string): Row {
    let row = this.rows.get(id);
    if (!row) this.rows.set(id, (row = { id, type: '', state: 'waiting' }));
    return row;
  }

  private plain(line: string): void {
    if (!this.live) this.out.write(line + '\n');
  }

  private draw(force: boolean): void {
    if (!this.live) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 80) return;
    this.lastDraw = now;
    const width = Math.max(...[...this.rows.keys()].map((id) => id.length), 4);
    const lines = [...this.rows.values()].map((row) => {
      const name = row.id.padEnd(width);
      const type = this.style.dim(row.type.padEnd(14));
      switch (row.state) {
        case 'waiting':
          return `  ${this.style.dim('·')} ${name} ${type} ${this.style.dim('waiting')}`;
        case 'running':
          return `  ${this.style.yellow('>')} ${name} ${type} ${row.total ? bar(row.step ?? 0, row.total) : 'running'}${row.phase ? ' ' + this.style.dim(row.phase) : ''}`;
        case 'done':
          return `  ${this.style.green('✔')} ${name} ${type} ${((row.ms ?? 0) / 1000).toFixed(2)} s`;
        case 'cached':
          return `  ${this.style.cyan('✔')} ${name} ${type} ${this.style.cyan('cached')}`;
        case 'failed':
          return `  ${this.style.red('✖')} ${name} ${type} ${this.style.red(row.note ?? 'failed')}`;
      }
    });
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A` : '';
    this.out.write(up + lines.map((l) => `\x1b[2K${l}`).join('\n') + '\n');
    this.drawnLines = lines.length;
  }
}
