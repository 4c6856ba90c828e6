import type { DeviceModel } from '@aftercare/core';
import {
  EventCounter,
  type FeatureEvent,
  FeatureSource,
  hasEnoughData,
} from '../features/extract-features.ts';
import {
  columnsBeforeCodes,
  DAY_MS,
  defaultFeatureSpec,
  type FeatureSpec,
  type FeatureSpecOptions,
  featureNames,
  HOUR_MS,
  lookbackMs,
} from '../features/feature-spec.ts';
import type { LabelledDeviceHistory } from './labelled-history.ts';
import {
  type DownPeriod,
  downPeriods,
  type FailureTarget,
  failureTargets,
  isDown,
  labelledUntil,
  labelsAt,
  pointOffsetMs,
  samplePoints,
} from './labels.ts';

/** A Float32Array that grows by doubling. */
class GrowableFloats {
  data: Float32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float32Array(capacity);
  }
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Float32Array(size);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  push(values: ArrayLike<number>): void {
    this.reserve(values.length);
    this.data.set(values, this.length);
    this.length += values.length;
  }
  toArray(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/** Features (raw, NaN where undefined) and labels of many scoring times, row-major. */
export interface FeatureRows {
  spec: FeatureSpec;
  targets: FailureTarget[];
  rows: number;
  width: number;
  x: Float32Array;
  /** rows × targets: 1 when the mode fails within the horizon. */
  fails: Uint8Array;
  /** rows × targets: days left as a fraction of the horizon where a failure comes, −1 elsewhere. */
  daysLeft: Float32Array;
}

export interface TrainingSet extends FeatureRows {
  /** Each row's time and device (index in the order the histories came). */
  times: Float64Array;
  deviceOfRow: Int32Array;
  devices: number;
  from: number | null;
  to: number | null;
  /** Positive rows per failure mode. */
  positives: Record<string, number>;
}

function contextOf(history: LabelledDeviceHistory) {
  return {
    installedAt: history.installedAt ?? null,
    serviceTimes: (history.services ?? []).map((s) => s.at),
    events: history.events,
  };
}

/**
 * Collects training rows of one device model, device by device, so a fleet's histories stream
 * through without being held. Per-code event counts are added at `finish`, once the training
 * fleet has shown which codes exist.
 */
export class TrainingSetBuilder {
  readonly targets: FailureTarget[];
  private readonly baseSpec: FeatureSpec;
  private readonly baseWidth: number;
  private readonly x = new GrowableFloats(1 << 16);
  private readonly labels: number[] = [];
  private readonly daysLeft = new GrowableFloats(1 << 12);
  private readonly rowDevice: number[] = [];
  private readonly rowTime: number[] = [];
  private readonly deviceEvents: FeatureEvent[][] = [];
  private readonly codeCounts = new Map<string, number>();
  private from: number | null = null;
  private to: number | null = null;

  constructor(
    readonly deviceModel: DeviceModel,
    readonly horizonDays: number,
    private readonly options: { featureOptions?: FeatureSpecOptions; everyHours?: number } = {},
  ) {
    this.targets = failureTargets(deviceModel);
    this.baseSpec = defaultFeatureSpec(deviceModel, { ...options.featureOptions, eventCodes: [] });
    this.baseWidth = featureNames(this.baseSpec).length;
  }

  get rows(): number {
    return this.rowTime.length;
  }

  get devices(): number {
    return this.deviceEvents.length;
  }

  add(history: LabelledDeviceHistory): void {
    const spec = this.baseSpec;
    const everyMs = (this.options.everyHours ?? 24) * HOUR_MS;
    const events = history.events.filter((e) => spec.eventTypes.includes(e.type));
    const device = this.deviceEvents.length;
    this.deviceEvents.push(events);
    for (const e of events) this.codeCounts.set(e.code, (this.codeCounts.get(e.code) ?? 0) + 1);
    const source = new FeatureSource(spec, history.window, contextOf(history));
    const down = downPeriods(history.failures);
    const until = labelledUntil(history, spec.stepMs, this.horizonDays);
    const offset = pointOffsetMs(history.deviceId, everyMs, spec.stepMs);
    const row = new Float32Array(this.baseWidth);
    for (const t of samplePoints(history.window, spec.stepMs, lookbackMs(spec), everyMs, offset)) {
      if (t > until || isDown(down, t)) continue;
      const coverage = source.fill(t, row);
      if (!hasEnoughData(spec, coverage)) continue;
      const label = labelsAt(history.failures, this.targets, t, this.horizonDays);
      this.x.push(row);
      for (let k = 0; k < this.targets.length; k++) {
        this.labels.push(label.fails[k]!);
        const left = label.daysLeft[k]!;
        this.daysLeft.push([Number.isNaN(left) ? -1 : left / this.horizonDays]);
      }
      this.rowDevice.push(device);
      this.rowTime.push(t);
      this.from = this.from === null ? t : Math.min(this.from, t);
      this.to = this.to === null ? t : Math.max(this.to, t);
    }
  }

  /** The final spec (with the codes seen at least `minCodeCount` times) and every row in its layout. */
  finish(minCodeCount = 5): TrainingSet {
    const eventCodes = [...this.codeCounts]
      .filter(([, n]) => n >= minCodeCount)
      .map(([code]) => code)
      .sort();
    const spec = defaultFeatureSpec(this.deviceModel, { ...this.options.featureOptions, eventCodes });
    const width = featureNames(spec).length;
    const before = columnsBeforeCodes(spec);
    const rows = this.rows;
    const x = new Float32Array(rows * width);
    const counters = this.deviceEvents.map((events) => new EventCounter(spec, events));
    for (let r = 0; r < rows; r++) {
      x.set(this.x.data.subarray(r * this.baseWidth, (r + 1) * this.baseWidth), r * width);
      counters[this.rowDevice[r]!]!.fillCodes(this.rowTime[r]!, x, r * width + before);
    }
    const positives: Record<string, number> = {};
    this.targets.forEach((target, k) => {
      let n = 0;
      for (let r = 0; r < rows; r++) n += this.labels[r * this.targets.length + k]!;
      positives[target.failureMode] = n;
    });
    return {
      spec,
      targets: this.targets,
      rows,
      width,
      x,
      fails: Uint8Array.from(this.labels),
      daysLeft: this.daysLeft.toArray(),
      times: Float64Array.from(this.rowTime),
      deviceOfRow: Int32Array.from(this.rowDevice),
      devices: this.devices,
      from: this.from,
      to: this.to,
      positives,
    };
  }
}

/** Everything about one device's scoring times that evaluation needs. */
export interface ScoredPoints extends FeatureRows {
  deviceId: string;
  /** Scoring times (down times and times without enough data left out), ascending. */
  times: Float64Array;
  /** Rows whose labels are known (time ≤ data end − horizon). */
  labelled: Uint8Array;
  down: DownPeriod[];
  /** Failure times per target. */
  failedAt: number[][];
  judge: { judgeUntil: number; countFrom: number; countUntil: number };
}

/** Features and labels of one device every `everyHours`, in the final spec's layout. */
export function scoringPoints(
  spec: FeatureSpec,
  history: LabelledDeviceHistory,
  horizonDays: number,
  everyHours: number,
): ScoredPoints {
  const targets = failureTargets(spec.deviceModel);
  const width = featureNames(spec).length;
  const source = new FeatureSource(spec, history.window, contextOf(history));
  const down = downPeriods(history.failures);
  const until = labelledUntil(history, spec.stepMs, horizonDays);
  const points = samplePoints(history.window, spec.stepMs, lookbackMs(spec), everyHours * HOUR_MS);
  const x = new GrowableFloats(points.length * width);
  const times: number[] = [];
  const labelled: number[] = [];
  const fails: number[] = [];
  const daysLeft: number[] = [];
  const row = new Float32Array(width);
  for (const t of points) {
    if (isDown(down, t)) continue;
    if (!hasEnoughData(spec, source.fill(t, row))) continue;
    x.push(row);
    times.push(t);
    labelled.push(t <= until ? 1 : 0);
    const label = labelsAt(history.failures, targets, t, horizonDays);
    for (let k = 0; k < targets.length; k++) {
      fails.push(label.fails[k]!);
      const left = label.daysLeft[k]!;
      daysLeft.push(Number.isNaN(left) ? -1 : left / horizonDays);
    }
  }
  const end = until + horizonDays * DAY_MS;
  return {
    deviceId: history.deviceId,
    spec,
    targets,
    rows: times.length,
    width,
    x: x.toArray(),
    fails: Uint8Array.from(fails),
    daysLeft: Float32Array.from(daysLeft),
    times: Float64Array.from(times),
    labelled: Uint8Array.from(labelled),
    down,
    failedAt: targets.map((target) =>
      history.failures.filter((f) => f.failureMode === target.failureMode).map((f) => f.failedAt),
    ),
    judge: {
      judgeUntil: until,
      countFrom: (points[0] ?? end) + horizonDays * DAY_MS,
      countUntil: end,
    },
  };
}
