/** At most `size` holders at once, across every queue a worker takes jobs from; says when it fills and when it has room again. */
export class RunGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly size: number,
    private readonly onFull: () => void,
    private readonly onRoom: () => void,
  ) {}

  get busy(): number {
    return this.active;
  }

  async acquire(): Promise<void> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    if (this.active >= this.size) this.onFull();
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) return next(); // the slot passes straight on
    this.active--;
    this.onRoom();
  }
}
