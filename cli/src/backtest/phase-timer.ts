/**
 * CPU seconds of this process per phase of a run (simulation, store, scoring, automation …): on a
 * shared machine the wall clock says little, the CPU time says where the work is.
 */
export class PhaseTimer {
  private readonly seconds = new Map<string, number>();

  async time<T>(phase: string, work: () => Promise<T> | T): Promise<T> {
    const before = process.cpuUsage();
    try {
      return await work();
    } finally {
      const used = process.cpuUsage(before);
      this.seconds.set(phase, (this.seconds.get(phase) ?? 0) + (used.user + used.system) / 1e6);
    }
  }

  totals(): Record<string, number> {
    return Object.fromEntries([...this.seconds].map(([phase, s]) => [phase, Math.round(s * 10) / 10]));
  }
}
