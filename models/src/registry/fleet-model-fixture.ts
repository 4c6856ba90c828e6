import type * as tf from '@tensorflow/tfjs';
import { defaultFeatureSpec, featureNames } from '../features/feature-spec.ts';
import type { FleetModelMetadata } from '../fleet/fleet-metadata.ts';
import { buildFleetNetwork } from '../fleet/fleet-network.ts';
import { failureTargets } from '../fleet/labels.ts';

const figures = {
  alertEpisodes: 10,
  trueEpisodes: 9,
  failures: 10,
  detected: 9,
  precision: 0.9,
  recall: 0.9,
  f1: 0.9,
  medianLeadDays: 6,
  meanLeadDays: 6.5,
};

/**
 * A small but complete water-purifier fleet model for registry tests: random weights from `seed`,
 * valid metadata whose `metrics.seed` and `createdAt` tell the versions apart. Needs a tfjs backend.
 */
export function fleetModel(seed: number): { model: tf.LayersModel; metadata: FleetModelMetadata } {
  const spec = defaultFeatureSpec('water-purifier');
  const features = featureNames(spec);
  const targets = failureTargets('water-purifier');
  const zeros = features.map(() => 0);
  return {
    model: buildFleetNetwork({ inputs: features.length, targets: targets.length, hiddenUnits: [8], seed }),
    metadata: {
      kind: 'fleet-failure-classifier',
      deviceModel: 'water-purifier',
      featureSpec: { ...spec, features, windowLength: 14 * 24 },
      normalisation: { method: 'z-score', mean: zeros, std: features.map(() => 1), min: zeros, max: zeros },
      horizonDays: 14,
      targets: targets.map((t) => ({
        ...t,
        threshold: 0.5,
        baseline: { kind: 'sigma', threshold: 3 },
        validation: { model: figures, baseline: figures },
      })),
      daysLeft: { method: 'masked-regression', scaleDays: 14 },
      evaluation: { everyHours: 12, mergeGapHours: 24 },
      trainingRange: { dataset: 'test', devices: 1, rows: 1, positives: {}, from: null, to: null },
      validationRange: { dataset: 'test', devices: 1, from: null, to: null },
      training: {
        epochs: 1,
        bestEpoch: 1,
        trainSeconds: 0.1,
        hiddenUnits: [8],
        learningRate: 0.001,
        batchSize: 32,
      },
      metrics: { val_precision: 0.9, seed },
      backend: 'wasm',
      createdAt: new Date(Date.UTC(2026, 0, seed)).toISOString(),
    },
  };
}
