import { type DeviceModel, trendsSchema } from '@aftercare/core';
import { apiFor } from '$lib/server/api.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import {
  insightQuery,
  loadModelVersions,
  loadTrends,
  modelChoices,
  modelName,
} from '$lib/server/insights.ts';
import { fieldPeriods } from '$lib/server/model-field.ts';
import type { PageServerLoad } from './$types';

/** Evaluation figures the registry keeps, in the order and words a planner reads them. */
const figureNames: [string, string, 'percent' | 'days' | 'number'][] = [
  ['val_precision', 'Precision', 'percent'],
  ['val_recall', 'Recall (failures caught)', 'percent'],
  ['val_median_lead_days', 'Median warning', 'days'],
  ['val_days_left_mae', 'Days-left error (MAE)', 'days'],
];

/**
 * The failure models in use, how they evaluated, and how predictions turned out: those since the
 * active version was trained (its own), and all of the last three months (whichever model made them).
 */
export const load: PageServerLoad = async ({ locals }) => {
  const api = apiFor(locals);
  const now = Date.now();
  const recentFilter = { months: 3, model: '' as const, region: '', partnerId: '' };
  try {
    const [versions, recent] = await Promise.all([loadModelVersions(api), loadTrends(api, recentFilter)]);
    const outcomes = new Map((recent?.models ?? []).map((m) => [m.model, m]));
    const periodFrom = insightQuery(recentFilter, now).from;
    const byModel = await Promise.all(
      modelChoices().map(async ({ value: model }) => {
        const all = (versions?.items ?? []).filter((v) => v.deviceModel === model);
        const active = all.find((v) => v.active) ?? null;
        const periods = fieldPeriods(active, periodFrom);
        const since =
          recent !== null && periods.sinceFrom !== null
            ? await api.getIfAvailable('/api/trends', trendsSchema, {
                from: periods.sinceFrom,
                to: now,
                model,
              })
            : null;
        return {
          model,
          label: modelName(model as DeviceModel),
          active: active && {
            version: active.version,
            createdAt: active.createdAt,
            figures: figureNames.flatMap(([key, label, unit]) => {
              const value = active.metrics[key];
              if (value === undefined) return [];
              const baseline = active.metrics[key.replace('val_', 'val_baseline_')];
              return [{ label, unit, value, baseline: baseline ?? null }];
            }),
            trainSeconds: active.metrics.train_seconds ?? null,
          },
          versions: all.map((v) => ({ version: v.version, active: v.active, createdAt: v.createdAt })),
          periods,
          /** The active version's own outcomes, since it was trained; null when unknown. */
          sinceActive: since ? (since.models.find((m) => m.model === model) ?? null) : null,
          recent: outcomes.get(model as DeviceModel) ?? null,
        };
      }),
    );
    return {
      title: 'Failure models',
      available: versions !== null,
      trendsAvailable: recent !== null,
      anyModel: (versions?.items.length ?? 0) > 0,
      byModel,
    };
  } catch (err) {
    rethrowForPage(err);
  }
};
