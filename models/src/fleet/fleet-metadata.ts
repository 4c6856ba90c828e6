import { deviceModels } from '@aftercare/core';
import { z } from 'zod';
import { featureSpecSchema } from '../features/feature-spec.ts';

const detectionFiguresSchema = z.object({
  alertEpisodes: z.number(),
  trueEpisodes: z.number(),
  failures: z.number(),
  detected: z.number(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1: z.number().nullable(),
  medianLeadDays: z.number().nullable(),
  meanLeadDays: z.number().nullable(),
});

export const fleetTargetSchema = z.object({
  failureMode: z.string().min(1),
  component: z.string().min(1),
  /** Operating threshold on p_fail, chosen on the validation fleet. */
  threshold: z.number().min(0).max(1),
  /** The rule baseline tuned for the same mode on the same validation fleet. */
  baseline: z.object({ kind: z.enum(['sigma', 'range']), threshold: z.number() }),
  validation: z.object({ model: detectionFiguresSchema, baseline: detectionFiguresSchema }),
});
export type FleetTarget = z.infer<typeof fleetTargetSchema>;

/**
 * metadata.json of a fleet model: `ModelMetadata` (model-io) with what scoring needs. Validated
 * whenever a model is read back, so a hand-edited or half-written file is refused, not guessed at.
 */
export const fleetModelMetadataSchema = z.object({
  kind: z.literal('fleet-failure-classifier'),
  deviceModel: z.enum(deviceModels),
  featureSpec: featureSpecSchema.extend({
    features: z.array(z.string()),
    /** Buckets of look-back scoring reads (the longest horizon). */
    windowLength: z.number().int().positive(),
  }),
  normalisation: z.object({
    method: z.literal('z-score'),
    mean: z.array(z.number()),
    std: z.array(z.number()),
    min: z.array(z.number()),
    max: z.array(z.number()),
  }),
  horizonDays: z.number().positive(),
  targets: z.array(fleetTargetSchema).min(1),
  daysLeft: z.object({ method: z.literal('masked-regression'), scaleDays: z.number().positive() }),
  /** Scoring times per day the thresholds were tuned for, and the alert merge gap used in evaluation. */
  evaluation: z.object({ everyHours: z.number().positive(), mergeGapHours: z.number().nonnegative() }),
  trainingRange: z.looseObject({
    dataset: z.string(),
    devices: z.number().int().nonnegative(),
    rows: z.number().int().nonnegative(),
    positives: z.record(z.string(), z.number()),
    from: z.number().nullable(),
    to: z.number().nullable(),
  }),
  validationRange: z.looseObject({
    dataset: z.string(),
    devices: z.number().int().nonnegative(),
    from: z.number().nullable(),
    to: z.number().nullable(),
  }),
  training: z.object({
    epochs: z.number().int(),
    bestEpoch: z.number().int(),
    trainSeconds: z.number(),
    hiddenUnits: z.array(z.number().int().positive()),
    learningRate: z.number().positive(),
    batchSize: z.number().int().positive(),
  }),
  metrics: z.record(z.string(), z.number()),
  backend: z.string(),
  createdAt: z.string(),
});
export type FleetModelMetadata = z.infer<typeof fleetModelMetadataSchema>;
export type DetectionFiguresJson = z.infer<typeof detectionFiguresSchema>;
