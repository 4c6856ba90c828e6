import { z } from 'zod';
import { deviceModels } from '../catalog.ts';
import { epochMsParamSchema, epochMsSchema, recordIdSchema } from './common.schema.ts';

/*
 * The transparency API: service KPIs, failure trends, partner scorecards and the model versions in
 * use, all computed from the service's own records. Rates are fractions 0–1; a figure whose
 * denominator is empty is null (never 0), so "no data" is never shown as "0 %".
 */

const rate = z.number().min(0).max(1).nullable();

/** One set of the service KPIs (service/src/automation/kpis.ts defines each figure). */
export const kpiSetSchema = z.object({
  failuresPrevented: z.number().int(),
  failuresHappened: z.number().int(),
  preventionRate: rate,
  /** Failures prevented without a visit: a remote command cleared the fault and the risk fell. */
  fixedRemotely: z.number().int(),
  repairsResolved: z.number().int(),
  firstTimeFixRate: rate,
  mttrHours: z.number().nullable(),
  slaEvaluated: z.number().int(),
  slaCompliance: rate,
  partsFillRate: rate,
  complaintResolutionHours: z.number().nullable(),
  complaintsOpen: z.number().int(),
  csatMean: z.number().min(1).max(5).nullable(),
  npsScore: z.number().min(-100).max(100).nullable(),
  utilisation: z.number().min(0).nullable(),
  verifiedFixRate: rate,
  /** Jobs whose first visit began within `ON_TIME_MINUTES` of its booked start, early or late. */
  onTimeStartRate: rate,
});
export type KpiSetBody = z.infer<typeof kpiSetSchema>;

export const kpiGroupings = ['partner', 'technician', 'model', 'month'] as const;
export type KpiGrouping = (typeof kpiGroupings)[number];

/**
 * Filters shared by the KPI, trend and scorecard queries. Period defaults: the last 12 months. Strict,
 * as every query of the API: a mistyped filter is a 400 naming it, not figures for the whole network.
 */
const insightFilterShape = {
  from: epochMsParamSchema.optional(),
  to: epochMsParamSchema.optional(),
  model: z.enum(deviceModels).optional(),
  partnerId: recordIdSchema.optional(),
  /** An area of the metro region (a locality named in the site's address), e.g. `Adyar`. */
  region: z.string().trim().min(1).max(80).optional(),
};

export const kpiQuerySchema = z.strictObject({
  ...insightFilterShape,
  groupBy: z.enum(kpiGroupings).default('month'),
});
export type KpiQuery = z.infer<typeof kpiQuerySchema>;

export const insightFilterQuerySchema = z.strictObject(insightFilterShape);
export type InsightFilterQuery = z.infer<typeof insightFilterQuerySchema>;

/** The period and filters a figure was computed for, echoed back. */
const appliedFilterSchema = z.object({
  from: epochMsSchema,
  to: epochMsSchema,
  model: z.enum(deviceModels).nullable(),
  partnerId: z.string().nullable(),
  region: z.string().nullable(),
});

export const kpiReportSchema = z.object({
  filter: appliedFilterSchema,
  groupBy: z.enum(kpiGroupings),
  overall: kpiSetSchema,
  groups: z.array(z.object({ key: z.string(), label: z.string(), kpis: kpiSetSchema })),
});
export type KpiReportBody = z.infer<typeof kpiReportSchema>;

/** Failures and predictions of one device model and component in one month (local `YYYY-MM`). */
export const trendCellSchema = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  model: z.enum(deviceModels),
  component: z.string(),
  /** Failures that happened (the device stopped working; a corrective repair followed). */
  failures: z.number().int(),
  /** Failures a predictive repair prevented. */
  caught: z.number().int(),
  /** Predictive tickets opened: what the models predicted. */
  predicted: z.number().int(),
  /** Predictive tickets whose visit found nothing to fix. */
  falseAlarms: z.number().int(),
  /** Of the failures caught, those fixed remotely: no technician travelled. */
  fixedRemotely: z.number().int(),
});

export const trendMonthSchema = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  /** Devices in service during the month (filters applied), and per device model. */
  devices: z.number().int(),
  devicesByModel: z.record(z.string(), z.number().int()),
  failures: z.number().int(),
  caught: z.number().int(),
  predicted: z.number().int(),
  falseAlarms: z.number().int(),
  /** Of the failures caught, those fixed remotely without a visit. */
  fixedRemotely: z.number().int(),
  /** Real failure episodes (happened + caught) per 100 devices in the month. */
  failureRatePer100: z.number().nullable(),
  /** caught ÷ (caught + failures). */
  caughtShare: rate,
});

export const trendModelSchema = z.object({
  model: z.enum(deviceModels),
  devices: z.number().int(),
  failures: z.number().int(),
  caught: z.number().int(),
  predicted: z.number().int(),
  falseAlarms: z.number().int(),
  /** Of the failures caught, those fixed remotely without a visit. */
  fixedRemotely: z.number().int(),
  /** Device-days in service in the period ÷ failures that happened; null without failures. */
  mtbfDays: z.number().nullable(),
  caughtShare: rate,
  /** Share of predictive tickets that found a real fault. */
  precision: rate,
});

export const trendsSchema = z.object({
  filter: appliedFilterSchema,
  months: z.array(trendMonthSchema),
  models: z.array(trendModelSchema),
  cells: z.array(trendCellSchema),
  /** The regions (areas) the filter can choose from, and the partners. */
  regions: z.array(z.string()),
  partners: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type TrendsBody = z.infer<typeof trendsSchema>;

export const partnerScorecardSchema = z.object({
  partnerId: z.string(),
  name: z.string(),
  kind: z.string(),
  technicians: z.number().int(),
  jobs: z.number().int(),
  kpis: kpiSetSchema,
  /** Replaced parts that must come back (defective-part return) and how many did. */
  partsToReturn: z.number().int(),
  partsReturned: z.number().int(),
  partsReturnRate: rate,
});
export type PartnerScorecard = z.infer<typeof partnerScorecardSchema>;

export const scorecardListSchema = z.object({
  filter: appliedFilterSchema,
  items: z.array(partnerScorecardSchema),
});

export const modelVersionSchema = z.object({
  deviceModel: z.enum(deviceModels),
  version: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  /** Evaluation figures on the validation fleet (precision, recall, lead days, loss…). */
  metrics: z.record(z.string(), z.number()),
});
export type ModelVersion = z.infer<typeof modelVersionSchema>;

export const modelListSchema = z.object({ items: z.array(modelVersionSchema) });
