/**
 * Virtual time for a live run: `speed` virtual seconds pass per real second from `start`.
 *
 * The platform refuses samples stamped more than five minutes ahead of its own clock (core's
 * telemetryLimits.maxFutureMs), so by default virtual time never passes the wall clock: a run that
 * starts in the past races through it at `speed` and then continues in real time.
 */
export class VirtualClock {
  private readonly realStart: number;

  constructor(
    readonly start: number,
    readonly speed: number,
    private readonly capAtNow = true,
    private readonly realNow: () => number = Date.now,
  ) {
    this.realStart = realNow();
  }

  now(): number {
    const real = this.realNow();
    const virtual = this.start + (real - this.realStart) * this.speed;
    return this.capAtNow ? Math.min(virtual, real) : virtual;
  }

  /** Real time at which virtual time catches up with the wall clock, or null if it never will. */
  catchesUpAt(): number | null {
    if (!this.capAtNow || this.speed <= 1) return null;
    return this.realStart + Math.max(0, this.realStart - this.start) / (this.speed - 1);
  }
}
