import { z } from 'zod';
import { deviceModels, skills } from '../catalog.ts';
import { metricNameSchema } from '../ids.ts';

/** What a technician does on site for one failure mode of one device model, in order. */
export const troubleshootingGuideSchema = z.object({
  model: z.enum(deviceModels),
  failureMode: metricNameSchema,
  title: z.string(),
  skill: z.enum(skills),
  /** 3–6 steps: what to measure, what confirms the cause, what to replace, how to check the fix. */
  steps: z.array(z.string().min(1)).min(3).max(6),
  /** A remote command that can clear or mitigate the fault without a visit, if any. */
  remoteFix: z.string().nullable(),
  repairMinutes: z.number().int().positive(),
});
export type TroubleshootingGuide = z.infer<typeof troubleshootingGuideSchema>;

export const knowledgeParamsSchema = z.strictObject({
  model: z.enum(deviceModels),
  failureMode: metricNameSchema,
});

export const listKnowledgeQuerySchema = z.strictObject({ model: z.enum(deviceModels).optional() });
