import { catalog, type DeviceCommand, type DeviceEvent, mixSeed, Rng } from '@aftercare/core';
import type {
  ActiveMode,
  ClearedFailure,
  DeviceSpec,
  DeviceTick,
  GroundTruthRecord,
  RepairOutcome,
} from './device-spec.ts';
import { SimError } from './errors.ts';
import { type Episode, FailureSchedule } from './failure-schedule.ts';
import type { DeviceModelSim, UnitModel } from './models/device-model.ts';
import { modelSims, severityAt } from './models/index.ts';
import { streams } from './random.ts';

export interface DeviceSimulatorOptions {
  /**
   * A failed device gets its corrective repair a few days after the failure (the customer calls
   * for service). Turn off when the service side repairs devices itself through `repair`.
   */
  autoRepair?: boolean;
}

const noEvents: readonly DeviceEvent[] = Object.freeze([]);
const noTruth: readonly GroundTruthRecord[] = Object.freeze([]);

/** Commands every simulated device understands besides its catalog's remote fixes. */
const builtinCommands = new Set(['ping']);

/**
 * One simulated device: its physics (per model), its failures and its firmware events. Pure and
 * deterministic: the same spec stepped over the same timestamps gives the same ticks.
 */
export class DeviceSimulator {
  readonly spec: DeviceSpec;
  private readonly sim: DeviceModelSim;
  private readonly unit: UnitModel;
  private readonly schedule: FailureSchedule;
  private readonly autoRepair: boolean;
  private readonly eventRng = new Rng(0);
  private episodes: Episode[] = [];
  private readonly active: ActiveMode[] = [];
  private pending: DeviceEvent[] = [];
  private lastTs: number;

  /** `from` is where the simulation starts: what happened before it is the device's past. */
  constructor(spec: DeviceSpec, from: number, options: DeviceSimulatorOptions = {}) {
    this.spec = spec;
    this.sim = modelSims[spec.model];
    this.autoRepair = options.autoRepair ?? true;
    this.schedule = new FailureSchedule(spec);
    this.lastTs = from;
    this.unit = this.sim.createUnit(spec, from);
    for (const episode of this.schedule.takeStartedBy(from)) {
      // Failures already repaired before the start are history; one still open is the device's state.
      if (episode.plannedRepairAt <= from) continue;
      if (episode.failedAt <= from) episode.failureReported = true;
      this.episodes.push(episode);
    }
  }

  get currentTime(): number {
    return this.lastTs;
  }

  /** Failure modes developing or failed as of the last step. */
  activeFailures(): readonly ActiveMode[] {
    return this.active.map((a) => ({ ...a }));
  }

  /** The failures the device is heading for (or is in): what a perfect predictor would know. */
  openFailures(): readonly ClearedFailure[] {
    return this.episodes
      .filter((e) => e.repairedAt === null && e.onsetAt <= this.lastTs)
      .map((e) => this.describe(e, false));
  }

  /** The sample for the interval (ts − intervalMs, ts], and the events and failures within it. */
  step(ts: number, intervalMs: number): DeviceTick {
    if (ts < this.lastTs) {
      throw new SimError('SIM_TIME_WENT_BACKWARDS', `${this.spec.id}: step(${ts}) before ${this.lastTs}`);
    }
    const previous = this.lastTs;
    this.lastTs = ts;
    for (const episode of this.schedule.takeStartedBy(ts)) this.episodes.push(episode);

    const events: DeviceEvent[] = this.pending.length > 0 ? this.pending : [];
    this.pending = [];
    const truth: GroundTruthRecord[] = [];
    this.active.length = 0;
    let repaired = false;
    for (const episode of this.episodes) {
      if (episode.repairedAt !== null) continue;
      if (!episode.failureReported && episode.failedAt <= ts) {
        episode.failureReported = true;
        events.push(this.failureEvent(episode));
        truth.push(this.groundTruth(episode));
      }
      if (this.autoRepair && episode.plannedRepairAt <= ts) {
        events.push(...this.clear(episode, Math.max(previous, episode.plannedRepairAt)));
        repaired = true;
        continue;
      }
      if (episode.onsetAt < ts) {
        this.active.push({
          id: episode.mode.id,
          severity: severityAt(episode.onsetAt, episode.failedAt, ts),
          failed: episode.failedAt <= ts,
        });
      }
    }
    if (repaired) this.episodes = this.episodes.filter((e) => e.repairedAt === null);

    const metrics = this.unit.sample(ts, intervalMs, this.active);
    if (this.active.length > 0) this.firmwareErrors(ts, intervalMs, events);
    if (events.length > 1) events.sort((a, b) => a.ts - b.ts);
    return {
      deviceId: this.spec.id,
      model: this.spec.model,
      // The slot number is a counter that survives restarts, so a resent or replayed sample dedupes.
      sample: { ts, seq: Math.floor(ts / intervalMs), metrics },
      events: events.length > 0 ? events : noEvents,
      groundTruth: truth.length > 0 ? truth : noTruth,
    };
  }

  /**
   * A technician's repair at `at` (clamped to the device's present): clears the developing and
   * failed modes, or only those listed. Says which were cleared and whether each failure was prevented.
   */
  repair(at: number, options: { failureModes?: readonly string[] } = {}): RepairOutcome {
    const when = Math.max(at, this.lastTs);
    const cleared: ClearedFailure[] = [];
    for (const episode of this.episodes) {
      if (episode.repairedAt !== null || episode.onsetAt > when) continue;
      if (options.failureModes && !options.failureModes.includes(episode.mode.id)) continue;
      cleared.push(this.describe(episode, episode.failedAt > when));
      this.pending.push(...this.clear(episode, when));
    }
    this.episodes = this.episodes.filter((e) => e.repairedAt === null);
    return { deviceId: this.spec.id, at: when, cleared };
  }

  /** Answers a remote command; a catalog remote fix clears the modes it applies to. */
  applyCommand(command: DeviceCommand, at: number): DeviceEvent {
    return this.runCommand(command, at).answer;
  }

  /** `applyCommand` with what the command cleared, for a caller that keeps the ground truth's books. */
  runCommand(command: DeviceCommand, at: number): { answer: DeviceEvent; cleared: ClearedFailure[] } {
    const when = Math.max(at, this.lastTs);
    const answer = (
      code: string,
      message: string,
      data: Record<string, string | number | boolean>,
    ): DeviceEvent => ({
      ts: when,
      type: 'command_result',
      code,
      commandId: command.commandId,
      message,
      data: { command: command.command, ...data },
    });
    if (builtinCommands.has(command.command))
      return { answer: answer('ok', 'pong', { model: this.spec.model }), cleared: [] };
    const fixes = catalog[this.spec.model].failureModes.filter((m) => m.remoteFix === command.command);
    if (fixes.length === 0)
      return {
        answer: answer('unknown_command', `${this.spec.model} does not support ${command.command}`, {}),
        cleared: [],
      };
    const { cleared } = this.repair(when, { failureModes: fixes.map((m) => m.id) });
    if (cleared.length === 0)
      return { answer: answer('no_effect', 'nothing to fix: the device reports no fault', {}), cleared };
    const ids = cleared.map((c) => c.failureMode).join(',');
    return { answer: answer('ok', `cleared ${ids}`, { cleared: ids }), cleared };
  }

  private clear(episode: Episode, at: number): DeviceEvent[] {
    episode.repairedAt = at;
    this.unit.repaired(episode.mode.id, at);
    return [
      {
        ts: at,
        type: 'info',
        code: 'repaired',
        component: episode.mode.component,
        failureMode: episode.mode.id,
        message: `${episode.mode.label} repaired`,
      },
    ];
  }

  private describe(episode: Episode, prevented: boolean): ClearedFailure {
    return {
      failureMode: episode.mode.id,
      component: episode.mode.component,
      onsetAt: episode.onsetAt,
      failedAt: episode.failedAt,
      prevented,
    };
  }

  private failureEvent(episode: Episode): DeviceEvent {
    return {
      ts: episode.failedAt,
      type: 'failure',
      code: episode.mode.id,
      component: episode.mode.component,
      failureMode: episode.mode.id,
      message: `${episode.mode.label}: ${episode.mode.component.replaceAll('_', ' ')} stopped working`,
    };
  }

  private groundTruth(episode: Episode): GroundTruthRecord {
    return {
      deviceId: this.spec.id,
      model: this.spec.model,
      failureMode: episode.mode.id,
      component: episode.mode.component,
      onsetAt: episode.onsetAt,
      failedAt: episode.failedAt,
    };
  }

  /** Error codes the firmware raises now and then as a failure develops, and often once it has failed. */
  private firmwareErrors(ts: number, intervalMs: number, events: DeviceEvent[]): void {
    const usage = this.unit.usageDays;
    if (usage <= 0) return;
    for (let i = 0; i < this.active.length; i++) {
      const mode = this.active[i]!;
      const error = this.sim.behaviours[mode.id]?.error;
      if (!error) continue;
      const ramp = mode.failed
        ? 3
        : mode.severity < error.fromSeverity
          ? 0
          : (mode.severity - error.fromSeverity) / (1 - error.fromSeverity);
      if (ramp === 0) continue;
      const rng = this.eventRng.reseed(mixSeed(this.spec.seed, streams.events, ts, i));
      if (!rng.chance(1 - Math.exp(-error.perDay * ramp * usage))) continue;
      events.push({
        ts: ts - Math.floor(rng.next() * intervalMs),
        type: 'error',
        code: error.code,
        message: error.message,
      });
    }
  }
}
