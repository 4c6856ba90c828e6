import {
  catalog,
  componentLabel as catalogComponentLabel,
  type DeviceModel,
  deviceModels,
  failureMode,
} from '@aftercare/core';
import { humanize } from '../format.ts';

/**
 * The slice of core's catalogue the pages show (labels and units), computed on the server and sent
 * with the page data, so core itself never enters the browser bundle.
 */

export interface MetricView {
  name: string;
  label: string;
  unit: string;
  healthy: [number, number];
}

export const modelOrder: readonly DeviceModel[] = deviceModels;

export function modelLabel(model: DeviceModel): string {
  return catalog[model].label;
}

export function metricViews(model: DeviceModel): MetricView[] {
  return catalog[model].metrics.map((m) => ({
    name: m.name,
    label: m.label,
    unit: m.unit,
    healthy: [m.healthy[0], m.healthy[1]],
  }));
}

export function failureModeLabel(model: DeviceModel, id: string): string {
  return failureMode(model, id)?.label ?? humanize(id);
}

export function componentLabel(model: DeviceModel, component: string): string {
  void model;
  return catalogComponentLabel(component) ?? humanize(component);
}

/** The metrics a failure mode shows in, in catalogue order: what to chart first for a risk. */
export function signatureMetrics(model: DeviceModel, failureModeId: string): string[] {
  return failureMode(model, failureModeId)?.signature.map((s) => s.metric) ?? [];
}

export const modelOptions = () => modelOrder.map((model) => ({ value: model, label: modelLabel(model) }));

/** Every component the catalogue can flag, for filters; of one model when given. */
export function componentOptions(model: DeviceModel | null): { value: string; label: string }[] {
  const components = new Map<string, string>();
  for (const m of model ? [model] : modelOrder)
    for (const mode of catalog[m].failureModes)
      components.set(mode.component, componentLabel(m, mode.component));
  return [...components.entries()]
    .map(([value, label]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

export function isDeviceModel(value: string | null): value is DeviceModel {
  return value !== null && (modelOrder as readonly string[]).includes(value);
}
