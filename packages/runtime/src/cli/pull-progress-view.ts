import { formatBytes } from '../files/index.js';
import type { PullEvent } from '../hub/index.js';
import type { Style } from './terminal.js';

const BAR_WIDTH = 24;
/** The download rate is taken over roughly this window. */
const RATE_WINDOW_MS = 5000;

/** How each conversion part is named in the plain lines. */
const partNames: Readonly<Record<string, string>> = {
  textEncoder: 'the T5Gemma text encoder',
  dit: 'the DiT',
  conditioner: 'the conditioner weights',
  encoder: 'the audio encoder',
  decoder: 'the audio decoder',
  check: 'checking each graph once',
};

/**
 * Shows a pull as one redrawn line on a terminal (bar, bytes, rate, current file) or as plain
 * lines otherwise: one when a file starts and one when it is verified, with its rate. A pack
 * converted from a checkpoint then gets one plain line per conversion part.
 */
export class PullProgressView {
  private readonly live: boolean;
  private total = 0;
  private readonly fileDone = new Map<string, number>();
  private current = '';
  private fileStarted = 0;
  private fileStartBytes = 0;
  private samples: { at: number; done: number }[] = [];
  private lastDraw = 0;
  private drawn = false;
  private part = '';
  private partFinished = '';
  private partStarted = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly style: Style,
    private readonly id: string,
  ) {
    this.live = out.isTTY === true;
  }

  handle(event: PullEvent): void {
    switch (event.type) {
      case 'waiting':
        this.line(`waiting for another pull of ${event.id}${event.pid ? ` (pid ${event.pid})` : ''} to finish`);
        break;
      case 'plan':
        this.total = event.bytes;
        this.line(
          `pulling ${event.id}: ${event.files} files, ${formatBytes(event.bytes)}${event.bytesOnDisk > 0 ? ` (${formatBytes(event.bytesOnDisk)} already downloaded)` : ''}`,
        );
        if (event.checkpoint) {
          this.line(
            `  this is the safetensors checkpoint from ${event.checkpoint.repo}; sa3 converts it into ONNX here (about as much again on disk while converting)${event.checkpoint.keep ? ' and keeps it afterwards' : ' and deletes it afterwards (--keep-checkpoint keeps it)'}`,
          );
        }
        break;
      case 'file':
        this.current = event.path;
        this.fileDone.set(event.path, event.resumeFrom);
        this.fileStarted = Date.now();
        this.fileStartBytes = event.resumeFrom;
        if (!this.live)
          this.line(
            event.resumeFrom > 0
              ? `resuming ${event.path} at ${formatBytes(event.resumeFrom)} of ${formatBytes(event.bytes)}`
              : `downloading ${event.path} (${formatBytes(event.bytes)})`,
          );
        this.draw(true);
        break;
      case 'progress':
        this.fileDone.set(event.path, event.done);
        this.draw(false);
        break;
      case 'retry':
        this.fileDone.set(event.path, event.bytesOnDisk);
        this.line(this.style.yellow(`the connection broke off at ${formatBytes(event.bytesOnDisk)} of ${event.path} (${event.reason}); resuming`));
        break;
      case 'verified': {
        const seconds = Math.max((Date.now() - this.fileStarted) / 1000, 0.001);
        const bytes = (this.fileDone.get(event.path) ?? 0) - this.fileStartBytes;
        if (!this.live)
          this.line(
            `${this.style.green('verified')} ${event.path}: ${formatBytes(bytes)} in ${seconds.toFixed(1)} s (${formatBytes(bytes / seconds)}/s), sha256 ok`,
          );
        break;
      }
      case 'converting':
        this.line(`converting the checkpoint of ${event.id} into ONNX (no Python needed)`);
        break;
      case 'convert-progress':
        if (event.part !== this.part) {
          this.part = event.part;
          this.partStarted = Date.now();
          this.line(`  converting ${partNames[event.part] ?? event.part}`);
        }
        if (event.done === event.total && event.part !== this.partFinished) {
          this.partFinished = event.part;
          this.line(`  ${this.style.green('done')} ${partNames[event.part] ?? event.part} in ${((Date.now() - this.partStarted) / 1000).toFixed(1)} s`);
        }
        break;
      case 'checkpoint-removed':
        this.line(`deleted the downloaded checkpoint (${formatBytes(event.bytes)})`);
        break;
      case 'checkpoint-kept':
        this.line(`kept the downloaded checkpoint (${formatBytes(event.bytes)}) in ${event.dir}`);
        break;
      case 'installed':
        this.clear();
        break;
      default:
        break;
    }
  }

  private done(): number {
    let sum = 0;
    for (const bytes of this.fileDone.values()) sum += bytes;
    return sum;
  }

  private rate(now: number, done: number): number {
    this.samples.push({ at: now, done });
    while (this.samples.length > 2 && now - this.samples[0]!.at > RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    return now > first.at ? ((done - first.done) * 1000) / (now - first.at) : 0;
  }

  private draw(force: boolean): void {
    if (!this.live) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const done = this.done();
    const filled = this.total > 0 ? Math.min(BAR_WIDTH, Math.round((done / this.total) * BAR_WIDTH)) : 0;
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
    const head = `${this.id} ${bar} ${formatBytes(done)} / ${formatBytes(this.total)}  ${formatBytes(this.rate(now, done))}/s  `;
    const room = Math.max(0, (this.out.columns ?? 100) - head.length - 1);
    this.out.write(`\r\x1b[K${head}${this.style.dim(this.current.length > room ? this.current.slice(this.current.length - room) : this.current)}`);
    this.drawn = true;
  }

  private clear(): void {
    if (this.live && this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }

  private line(text: string): void {
    this.clear();
    this.out.write(`${text}\n`);
  }
}
