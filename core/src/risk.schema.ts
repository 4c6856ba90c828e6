import { z } from 'zod';
import { deviceModels } from './catalog.ts';
import { deviceIdSchema, metricNameSchema } from './ids.ts';

/**
 * One reason a risk is high, in the words a planner reads: which metric moved, how far, over how long,
 * and how much of the model's score it accounts for.
 */
export const riskDriverSchema = z.strictObject({
  metric: metricNameSchema,
  label: z.string(),
  unit: z.string(),
  /** Recent level minus the level `overDays` earlier, in the metric's unit. */
  change: z.number(),
  overDays: z.number().nonnegative(),
  direction: z.enum(['up', 'down', 'steady']),
  /** Share of the attribution that falls on this metric (0–1; the drivers of one risk sum to ≤ 1). */
  weight: z.number().min(0).max(1),
  /** "Discharge temperature +6.1 °C over 9 days". */
  text: z.string(),
});
export type RiskDriver = z.infer<typeof riskDriverSchema>;

/**
 * What the models hand to the service side for one device and one component: the probability that the
 * component fails within the horizon, an estimate of the days left, and why.
 */
export const riskSchema = z.strictObject({
  deviceId: deviceIdSchema,
  model: z.enum(deviceModels),
  component: metricNameSchema,
  /** The catalogue failure mode the component's risk stands for. */
  failureMode: metricNameSchema,
  pFail: z.number().min(0).max(1),
  /** Days until the predicted failure; null when the model sees no failure coming inside its range. */
  daysLeft: z.number().nonnegative().nullable(),
  horizonDays: z.number().positive(),
  modelVersion: z.string().min(1).max(100),
  /** Epoch ms of the scoring run. */
  scoredAt: z.number().int(),
  /** Epoch ms of the newest telemetry the score saw. */
  dataUntil: z.number().int(),
  drivers: z.array(riskDriverSchema).max(10),
});
export type Risk = z.infer<typeof riskSchema>;
