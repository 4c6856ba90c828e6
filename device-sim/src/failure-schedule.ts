import { catalog, type FailureModeSpec, failureMode, mixSeed, Rng } from '@aftercare/core';
import type { DeviceSpec } from './device-spec.ts';
import { SimError } from './errors.ts';
import { streams } from './random.ts';
import { DAY_MS } from './region.ts';

/** One failure's life on one device: degradation from onset, failure, then (maybe) repair. */
export interface Episode {
  mode: FailureModeSpec;
  onsetAt: number;
  failedAt: number;
  /** When the customer's corrective visit would come if nobody intervened earlier. */
  plannedRepairAt: number;
  repairedAt: number | null;
  /** The failure event has been emitted (or belonged to the past before the simulation started). */
  failureReported: boolean;
}

/** Days between a failure and the corrective visit that fixes it when the service side does not act. */
export const correctiveRepairDays: readonly [number, number] = [1, 4];

function meanLeadDays(modes: readonly FailureModeSpec[]): number {
  return modes.reduce((sum, m) => sum + (m.leadDays[0] + m.leadDays[1]) / 2, 0) / modes.length;
}

/**
 * A device's failures over its whole life, generated lazily from its install date with a seeded
 * stream, so that the same device fails the same way whichever window is simulated. Random
 * failures form a renewal process whose cycle (quiet gap, lead, repair) averages one year divided by
 * the failure rate, so `failureRate` really is the expected failures per device-year, unless the rate
 * is so high that the gaps would have to be shorter than the leads.
 */
export class FailureSchedule {
  private readonly rng: Rng;
  private readonly modes: readonly FailureModeSpec[];
  private readonly gapMeanMs: number;
  private cursor: number;
  private upcoming: Episode | null = null;
  private readonly injected: Episode[];

  constructor(private readonly spec: DeviceSpec) {
    this.rng = new Rng(mixSeed(spec.seed, streams.schedule));
    this.modes = catalog[spec.model].failureModes;
    const cycleDays = 365.25 / Math.max(spec.failureRate, 1e-9);
    const meanRepair = (correctiveRepairDays[0] + correctiveRepairDays[1]) / 2;
    this.gapMeanMs = Math.max(cycleDays - meanLeadDays(this.modes) - meanRepair, 0.25 * cycleDays) * DAY_MS;
    this.cursor = spec.installedAt;
    this.injected = (spec.failures ?? []).map((f, i) => {
      const mode = failureMode(spec.model, f.failureMode);
      if (!mode)
        throw new SimError(
          'SIM_UNKNOWN_FAILURE_MODE',
          `${f.failureMode} is not a failure mode of ${spec.model}`,
        );
      if (!(f.failedAt > f.onsetAt)) {
        throw new SimError(
          'SIM_BAD_FAILURE_WINDOW',
          `${f.failureMode} on ${spec.id}: failedAt must be after onsetAt`,
        );
      }
      const delay = new Rng(mixSeed(spec.seed, streams.schedule, i + 1)).uniform(...correctiveRepairDays);
      return this.episode(
        mode,
        f.onsetAt,
        f.failedAt,
        f.failedAt + Math.round((delay * DAY_MS) / 1000) * 1000,
      );
    });
    this.injected.sort((a, b) => a.onsetAt - b.onsetAt);
  }

  private episode(
    mode: FailureModeSpec,
    onsetAt: number,
    failedAt: number,
    plannedRepairAt: number,
  ): Episode {
    return { mode, onsetAt, failedAt, plannedRepairAt, repairedAt: null, failureReported: false };
  }

  private nextRandom(): Episode | null {
    if (this.spec.failureRate <= 0) return null;
    if (!this.upcoming) {
      // Always four draws per episode, so the sequence never depends on how far anyone looked ahead.
      const gap = this.rng.exponential(this.gapMeanMs);
      const mode = this.rng.pick(this.modes);
      const leadMs = this.rng.uniform(mode.leadDays[0], mode.leadDays[1]) * DAY_MS;
      const repairMs = this.rng.uniform(...correctiveRepairDays) * DAY_MS;
      // Whole seconds: event timestamps are integer epoch ms on the wire.
      const onsetAt = Math.round((this.cursor + gap) / 1000) * 1000;
      const failedAt = onsetAt + Math.round(leadMs / 1000) * 1000;
      this.upcoming = this.episode(mode, onsetAt, failedAt, failedAt + Math.round(repairMs / 1000) * 1000);
      this.cursor = this.upcoming.plannedRepairAt;
    }
    return this.upcoming;
  }

  /** Episodes whose onset is at or before `t`, each returned once, in onset order. */
  takeStartedBy(t: number): Episode[] {
    const started: Episode[] = [];
    while (this.injected.length > 0 && this.injected[0]!.onsetAt <= t) started.push(this.injected.shift()!);
    for (let next = this.nextRandom(); next && next.onsetAt <= t; next = this.nextRandom()) {
      started.push(next);
      this.upcoming = null;
    }
    return started.sort((a, b) => a.onsetAt - b.onsetAt);
  }
}
