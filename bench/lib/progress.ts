/**
 * One progress bar on stderr, redrawn at most ten times a second. Counting is
 * a plain increment, cheap enough for the hot loop. Off when stderr is not a
 * terminal (CI, pipes): then only the start and end lines are printed.
 */
export class Progress {
  private label = '';
  private total = 0;
  private done = 0;
  private started = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly tty: boolean;

  constructor(private readonly quiet: boolean) {
    this.tty = !quiet && Boolean(process.stderr.isTTY);
  }

  start(label: string, total: number): void {
    this.stop();
    this.label = label;
    this.total = Math.max(1, total);
    this.done = 0;
    this.started = performance.now();
    if (this.tty) {
      this.timer = setInterval(() => this.draw(), 100);
      this.timer.unref();
    } else {
      this.line(`${label} ...`);
    }
  }

  tick(n = 1): void {
    this.done += n;
  }

  /** Ends the bar with a one-line result. */
  finish(result: string): void {
    this.stop();
    if (this.tty) process.stderr.write('\r\x1b[2K');
    this.line(`${this.label}: ${result}`);
  }

  line(text: string): void {
    if (this.quiet) return;
    if (this.tty) process.stderr.write('\r\x1b[2K');
    process.stderr.write(`${text}\n`);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private draw(): void {
    const width = 30;
    const share = Math.min(1, this.done / this.total);
    const filled = Math.round(share * width);
    const elapsed = ((performance.now() - this.started) / 1000).toFixed(1);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    process.stderr.write(
      `\r\x1b[2K[${bar}] ${(share * 100).toFixed(0).padStart(3)}% ${this.label} ${this.done.toLocaleString('en')}/${this.total.toLocaleString('en')} ${elapsed}s`,
    );
  }
}
