import type { DeviceModel } from '@aftercare/core';
import type { ActiveMode, DeviceSpec } from '../device-spec.ts';

/**
 * When an effect applies: `always`; `run` only in intervals where the machinery ran (a stopped
 * compressor draws no extra current however worn it is); `duty` in proportion to the running time
 * (interval means such as power); `hot` in proportion to the thermal load (the outdoor heat for an
 * air conditioner, the heating span of a wash).
 */
export type Gate = 'always' | 'run' | 'duty' | 'hot';

/** How a failure mode moves one metric when it is fully developed (severity 1). */
export interface MetricEffect {
  /** Added, in the metric's unit. */
  add?: number;
  /** Relative change: 0.4 = +40 %. Zero readings (a heater that is off) stay zero. */
  mul?: number;
  gate?: Gate;
}

/** A firmware error code that a developing failure raises now and then, and often once it failed. */
export interface ErrorCodeSpec {
  code: string;
  message: string;
  /** Severity from which the firmware starts noticing. */
  fromSeverity: number;
  /** Expected codes per day of activity at severity 1. */
  perDay: number;
}

export interface ModeBehaviour {
  effects: Readonly<Record<string, MetricEffect>>;
  error?: ErrorCodeSpec;
}

export type Gates = Record<Gate, number>;

/** One unit's physics: produces the metrics of an interval ending at `ts`. Stateful, called with increasing `ts`. */
export interface UnitModel {
  sample(ts: number, intervalMs: number, active: readonly ActiveMode[]): Record<string, number>;
  /** How much of a typical day's use the last interval held; firmware errors arise with use. */
  readonly usageDays: number;
  /** A technician or a remote fix dealt with this mode (filters changed, lamp replaced…). */
  repaired(failureMode: string, at: number): void;
}

export interface DeviceModelSim {
  model: DeviceModel;
  behaviours: Readonly<Record<string, ModeBehaviour>>;
  createUnit(spec: DeviceSpec, at: number): UnitModel;
}

/** Severity of a developing failure: quadratic, so it hides in daily variation early and is plain near the end. */
export function severityAt(onsetAt: number, failedAt: number, at: number): number {
  if (at <= onsetAt) return 0;
  if (at >= failedAt) return 1;
  const x = (at - onsetAt) / (failedAt - onsetAt);
  return x * x;
}

type EffectEntry = readonly [metric: string, effect: MetricEffect];
const entryCache = new WeakMap<ModeBehaviour, readonly EffectEntry[]>();

function entriesOf(behaviour: ModeBehaviour): readonly EffectEntry[] {
  let entries = entryCache.get(behaviour);
  if (!entries) {
    entries = Object.entries(behaviour.effects);
    entryCache.set(behaviour, entries);
  }
  return entries;
}

/** Moves the metrics of `values` by every active mode's effects, scaled by its severity and gate. */
export function applyEffects(
  values: Record<string, number>,
  behaviours: Readonly<Record<string, ModeBehaviour>>,
  active: readonly ActiveMode[],
  gates: Gates,
): void {
  for (const mode of active) {
    const behaviour = behaviours[mode.id];
    if (!behaviour) continue;
    for (const [metric, effect] of entriesOf(behaviour)) {
      const weight = mode.severity * gates[effect.gate ?? 'always'];
      if (weight === 0 || values[metric] === undefined) continue;
      if (effect.mul !== undefined) values[metric]! *= 1 + effect.mul * weight;
      if (effect.add !== undefined) values[metric]! += effect.add * weight;
    }
  }
}

export function isFailed(active: readonly ActiveMode[], id: string): boolean {
  for (const mode of active) if (mode.id === id && mode.failed) return true;
  return false;
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : Math.min(value, max);
}

/** Rounds for the wire: sensors do not report 15 significant digits. */
export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
