import type { DeviceModel, Risk } from '@aftercare/core';
import { componentLabel, failureModeLabel, modelLabel } from './catalog-view.ts';

/**
 * One risk as the pages show it: the model's words turned into a planner's. Everything comes from
 * the risk itself, so a list of risks needs no device lookups (the risk names the device's model).
 */
export interface RiskRow {
  deviceId: string;
  model: DeviceModel;
  modelLabel: string;
  component: string;
  componentLabel: string;
  failureMode: string;
  failureModeLabel: string;
  pFail: number;
  daysLeft: number | null;
  horizonDays: number;
  scoredAt: number;
  modelVersion: string;
  drivers: string[];
}

export function toRiskRow(risk: Risk): RiskRow {
  return {
    deviceId: risk.deviceId,
    model: risk.model,
    modelLabel: modelLabel(risk.model),
    component: risk.component,
    componentLabel: componentLabel(risk.model, risk.component),
    failureMode: risk.failureMode,
    failureModeLabel: failureModeLabel(risk.model, risk.failureMode),
    pFail: risk.pFail,
    daysLeft: risk.daysLeft,
    horizonDays: risk.horizonDays,
    scoredAt: risk.scoredAt,
    modelVersion: risk.modelVersion,
    drivers: [...risk.drivers].sort((a, b) => b.weight - a.weight).map((d) => d.text),
  };
}
