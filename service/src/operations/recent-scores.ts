import type { RiskScore } from '../automation/risk-policy.ts';

/**
 * The last scores of each device × component, kept in memory for the risk policy's hysteresis (how
 * many consecutive scores fell below p_close). Bounded: at most `perPair` scores for each pair, and
 * the pairs are the fleet's device × component count. After a restart it starts empty, which only
 * delays a cancellation until enough low scores have been seen again: the open ticket itself lives
 * in the database and is what keeps a second one from opening.
 */
export class RecentScores {
  private readonly scores = new Map<string, RiskScore[]>();

  constructor(private readonly perPair: number) {
    if (!(Number.isInteger(perPair) && perPair >= 1))
      throw new RangeError('perPair must be a whole number ≥ 1');
  }

  /** The pair's scores, oldest first. */
  of(deviceId: string, component: string): readonly RiskScore[] {
    return this.scores.get(key(deviceId, component)) ?? [];
  }

  has(deviceId: string, component: string, scoredAt: number): boolean {
    return this.of(deviceId, component).some((s) => s.scoredAt === scoredAt);
  }

  /** Adds a score once (a redelivered one is ignored), dropping the oldest past the bound. */
  record(deviceId: string, component: string, score: RiskScore): void {
    const k = key(deviceId, component);
    const list = this.scores.get(k) ?? [];
    if (list.some((s) => s.scoredAt === score.scoredAt)) return;
    list.push({ scoredAt: score.scoredAt, pFail: score.pFail });
    list.sort((a, b) => a.scoredAt - b.scoredAt);
    if (list.length > this.perPair) list.splice(0, list.length - this.perPair);
    this.scores.set(k, list);
  }

  get pairs(): number {
    return this.scores.size;
  }
}

const key = (deviceId: string, component: string) => `${deviceId}\u0000${component}`;
