import type { ProgressListener } from '../training/progress.ts';
import type { RulConfig } from './config.ts';
import { disposeEnsemble, predictEnsemble, trainRulEnsemble, windowOptions } from './ensemble.ts';
import type { CmapssUnit } from './loader.ts';
import { rmse, sensorIndices, trainingWindows, type WindowBatch } from './prepare.ts';
import { predictRul, splitUnits } from './rul-model.ts';

export interface RulValidationReport {
  /** Training units trained on and held out; the test file plays no part. */
  trainUnits: number;
  /** Units any member trained or early-stopped on; disjoint from holdoutUnits. */
  usedUnits: number[];
  holdoutUnits: number[];
  /** Every window of the held-out units (histories of `minCycles` or more), against the capped target. */
  rmseCapped: number;
  /** The same windows where the true RUL is within the cap (the part that matters for maintenance). */
  rmseLate: number;
  /** As rmseCapped, with `tail` consecutive predictions shifted and averaged, for tails 1, 3, 5, 10. */
  rmseCappedByTail: Record<number, number>;
  /** rmseCapped of each member alone: the ensemble's gain is the gap. */
  memberRmseCapped: number[];
  epochs: number[];
  trainSeconds: number;
  secondsPerEpoch: number;
}

/** For each window, the `tail`-window shifted mean over the windows ending at it and before it. */
export function tailEstimates(
  predicted: Float32Array,
  batch: WindowBatch,
  tail: number,
  cap: number,
): Float32Array {
  const units = batch.unitIndex;
  if (!units) throw new Error('tailEstimates needs windows with unitIndex');
  const out = new Float32Array(predicted.length);
  for (let i = 0; i < predicted.length; i++) {
    let sum = 0;
    let n = 0;
    for (let k = 0; k < tail && i - k >= 0 && units[i - k] === units[i]; k++) {
      const p = predicted[i - k]!;
      sum += p >= cap ? p : p - k;
      n++;
    }
    out[i] = Math.max(0, sum / n);
  }
  return out;
}

/**
 * Model selection on the training file only: holds out `holdoutFraction` of the training units
 * (fixed by `holdoutSeed`, the same for every variant), trains the configured ensemble on the rest
 * (each member again holding out its own units for early stopping), and measures the held-out units.
 */
export async function validateRulConfig(
  units: CmapssUnit[],
  config: RulConfig,
  options: {
    holdoutFraction?: number;
    holdoutSeed?: number;
    onEpoch?: ProgressListener;
    signal?: AbortSignal;
  } = {},
): Promise<RulValidationReport> {
  const outer = splitUnits(units, options.holdoutFraction ?? 0.2, options.holdoutSeed ?? 2026);
  const { ensemble, trainSeconds } = await trainRulEnsemble(outer.train, config, {
    ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const holdout = trainingWindows(
      outer.validation,
      sensorIndices(config.sensors),
      ensemble.stats,
      windowOptions(config),
    );
    const predicted = predictEnsemble(ensemble, holdout);
    const trueRul = holdout.trueRul!;
    const late = [...trueRul.keys()].filter((i) => trueRul[i]! <= config.cap);
    const epochs = ensemble.memberInfo.map((m) => m.epochsRun);
    return {
      trainUnits: outer.train.length,
      usedUnits: [
        ...new Set(ensemble.memberInfo.flatMap((m) => [...m.trainUnits, ...m.validationUnits])),
      ].sort((p, q) => p - q),
      holdoutUnits: outer.validation.map((u) => u.unit),
      rmseCapped: rmse(predicted, holdout.y),
      rmseLate: rmse(
        late.map((i) => predicted[i]!),
        late.map((i) => trueRul[i]!),
      ),
      rmseCappedByTail: Object.fromEntries(
        [1, 3, 5, 10].map((tail) => [
          tail,
          rmse(tailEstimates(predicted, holdout, tail, config.cap), holdout.y),
        ]),
      ),
      memberRmseCapped: ensemble.members.map((m) => rmse(predictRul(m, holdout, config.cap), holdout.y)),
      epochs,
      trainSeconds,
      secondsPerEpoch:
        ensemble.memberInfo.reduce((s, m) => s + m.trainSeconds, 0) / epochs.reduce((a, b) => a + b, 0),
    };
  } finally {
    disposeEnsemble(ensemble);
  }
}
