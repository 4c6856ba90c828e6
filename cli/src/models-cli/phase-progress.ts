import cliProgress from 'cli-progress';
import type { ModelsCliContext } from './context.ts';

/**
 * A bar for one phase of long work at a time (simulating a fleet, training one device model…) on
 * stderr when a person watches; nothing otherwise (the command logs its milestones instead).
 */
export class PhaseBar {
  private bar: cliProgress.SingleBar | null = null;
  private label = '';

  constructor(
    private readonly ctx: ModelsCliContext,
    private readonly enabled: boolean,
  ) {}

  /** Starts a phase, or moves the current one on; `total` may grow as the work learns its size. */
  update(label: string, value: number, total: number, detail = ''): void {
    if (!this.enabled || this.ctx.stderr.isTTY !== true) return;
    if (this.label !== label) {
      this.stop();
      this.label = label;
      this.bar = new cliProgress.SingleBar(
        { stream: this.ctx.stderr, format: '{label} [{bar}] {value}/{total} {detail}', hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, value, { label, detail });
      return;
    }
    if (this.bar && total !== this.bar.getTotal()) this.bar.setTotal(total);
    this.bar?.update(value, { label, detail });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
    this.label = '';
  }
}
