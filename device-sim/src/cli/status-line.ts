/**
 * One progress line on stderr, redrawn in place on a terminal; on a pipe or a log file, printed as
 * a new line now and then instead, so logs stay readable.
 */
export class StatusLine {
  private lastPrinted = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly everyMsWithoutTty = 10_000,
  ) {}

  update(text: string): void {
    if (this.stream.isTTY) {
      const width = Math.max(20, (this.stream.columns ?? 120) - 1);
      this.stream.write(`\r\x1b[2K${text.slice(0, width)}`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    if (now - this.lastPrinted < this.everyMsWithoutTty) return;
    this.lastPrinted = now;
    this.stream.write(`${text}\n`);
  }

  /** Leaves the last line standing and moves on. */
  done(text?: string): void {
    if (this.stream.isTTY) {
      if (text !== undefined) this.stream.write(`\r\x1b[2K${text}`);
      if (this.drawn || text !== undefined) this.stream.write('\n');
      this.drawn = false;
    } else if (text !== undefined) {
      this.stream.write(`${text}\n`);
    }
  }
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A virtual timestamp as the progress line shows it: minutes are enough. */
export function formatVirtualTime(ts: number): string {
  return `${new Date(ts).toISOString().slice(0, 16).replace('T', ' ')}Z`;
}
