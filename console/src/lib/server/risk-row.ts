import type { Device, DeviceModel, Risk } from '@aftercare/core';
import { componentLabel, failureModeLabel, modelLabel } from './catalog-view.ts';

/** One risk as the pages show it: the model's words turned into a planner's. */
export interface RiskRow {
  deviceId: string;
  model: DeviceModel;
  modelLabel: string;
  customerId: string | null;
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

export function toRiskRow(risk: Risk, device: Pick<Device, 'customerId'> | undefined): RiskRow {
  return {
    deviceId: risk.deviceId,
    model: risk.model,
    modelLabel: modelLabel(risk.model),
    customerId: device?.customerId ?? null,
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
