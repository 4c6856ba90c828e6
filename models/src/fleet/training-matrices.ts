import type { ScoredPoints, TrainingSet } from './dataset.ts';
import type { LabelledMatrix } from './fit-network.ts';
import type { FleetModelMetadata } from './fleet-metadata.ts';
import { applyNormalisation } from './normalisation.ts';

/** A training set as the network's input: scaled rows with their labels. */
export function labelledMatrix(set: TrainingSet, scaled: Float32Array): LabelledMatrix {
  return {
    x: scaled,
    rows: set.rows,
    width: set.width,
    fails: set.fails,
    daysLeft: set.daysLeft,
    targets: set.targets.length,
  };
}

/**
 * Validation rows whose labels are known, normalised, for early stopping: every `keepEvery`-th
 * scoring time (about one a day), which estimates the loss as well at a fraction of the cost.
 */
export function validationMatrix(
  model: FleetModelMetadata,
  pending: readonly { points: ScoredPoints }[],
  keepEvery: number,
): LabelledMatrix {
  const width = model.featureSpec.features.length;
  const targets = model.targets.length;
  const keep = (points: ScoredPoints, i: number) => points.labelled[i] === 1 && i % keepEvery === 0;
  let rows = 0;
  for (const { points } of pending) for (let i = 0; i < points.rows; i++) if (keep(points, i)) rows++;
  const x = new Float32Array(rows * width);
  const fails = new Uint8Array(rows * targets);
  const daysLeft = new Float32Array(rows * targets);
  let r = 0;
  for (const { points } of pending) {
    const scaled = applyNormalisation(model.normalisation, points.x, points.rows);
    for (let i = 0; i < points.rows; i++) {
      if (!keep(points, i)) continue;
      x.set(scaled.subarray(i * width, (i + 1) * width), r * width);
      fails.set(points.fails.subarray(i * targets, (i + 1) * targets), r * targets);
      daysLeft.set(points.daysLeft.subarray(i * targets, (i + 1) * targets), r * targets);
      r++;
    }
  }
  return { x, rows, width, fails, daysLeft, targets };
}
