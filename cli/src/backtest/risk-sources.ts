import { type DeviceModel, deviceModels, type Risk } from '@aftercare/core';
import type { TelemetryStore } from '@aftercare/ingest';
import {
  baselineDays,
  baselineScores,
  type DeviceToScore,
  type ModelRegistry,
  scoreDevices,
} from '@aftercare/models';
import type { ArmKind } from './backtest-types.ts';
import { DAY_MS } from './backtest-types.ts';

/** Risks for every device as of `now`: what the automation is fed at each scoring run. */
export type RiskSource = (devices: readonly DeviceToScore[], now: number) => Promise<Risk[]>;

/** The fleet models, through the platform's batch scorer (reads the store as the scoring job does). */
function modelRisks(registry: ModelRegistry, store: TelemetryStore): RiskSource {
  return async (devices, now) => (await scoreDevices({ registry, store, devices, now })).risks;
}

/** Version string the baseline's risks carry, so a ticket's evidence says what raised it. */
export const baselineVersion = 'rule-baseline';

/**
 * The rule baseline as a risk source: for each failure mode, the rule and threshold tuned for it on
 * the validation fleet (saved with the model), evaluated on the last day against the unit's trailing
 * baseline. A rule that fires is a risk of 1, a quiet one 0: rules say "alarm", not how likely or how
 * soon, so the automation treats an alarm as a certain failure somewhere inside the horizon.
 */
function baselineRisks(registry: ModelRegistry, store: TelemetryStore): RiskSource {
  return async (devices, now) => {
    const risks: Risk[] = [];
    for (const deviceModel of deviceModels) {
      const ofModel = devices.filter((d) => d.model === deviceModel);
      if (ofModel.length === 0) continue;
      const active = await registry.active(deviceModel as DeviceModel);
      if (!active) continue;
      const { metadata } = active;
      const stepMs = metadata.featureSpec.stepMs;
      const windows = await store.windows({
        deviceIds: ofModel.map((d) => d.deviceId),
        metrics: metadata.featureSpec.metrics,
        from: now - (baselineDays + 1) * DAY_MS,
        to: now,
        stepMs,
      });
      for (const window of windows) {
        const scores = baselineScores(deviceModel, metadata.targets, window, stepMs, [now]);
        metadata.targets.forEach((target, k) => {
          const score = scores[k]![target.baseline.kind][0]!;
          const alarm = Number.isFinite(score) && score >= target.baseline.threshold;
          risks.push({
            deviceId: window.deviceId,
            model: deviceModel,
            component: target.component,
            failureMode: target.failureMode,
            pFail: alarm ? 1 : 0,
            daysLeft: null,
            horizonDays: metadata.horizonDays,
            modelVersion: baselineVersion,
            scoredAt: now,
            dataUntil: now,
            drivers: [],
          });
        });
      }
    }
    return risks;
  };
}

export function riskSource(kind: ArmKind, registry: ModelRegistry, store: TelemetryStore): RiskSource {
  return kind === 'model' ? modelRisks(registry, store) : baselineRisks(registry, store);
}
