import type { DeviceEvent, DeviceModel } from '@aftercare/core';
import type { DeviceSpec, DeviceTick, GroundTruthRecord } from './device-spec.ts';

/**
 * The JSON-lines history format (`pnpm sim history`), for offline training: one record per line,
 * told apart by `kind`. Devices come first, then each device's ticks; an event keeps core's
 * shape (with its own `type`) nested under `event`.
 */
export type HistoryFileRecord =
  | ({ kind: 'device' } & Omit<DeviceSpec, 'region' | 'installedAt'> & { installedAt: string })
  | {
      kind: 'telemetry';
      deviceId: string;
      model: DeviceModel;
      ts: number;
      seq: number;
      metrics: Record<string, number>;
    }
  | { kind: 'event'; deviceId: string; model: DeviceModel; event: DeviceEvent }
  | ({ kind: 'ground_truth' } & GroundTruthRecord);

export function deviceLine(spec: DeviceSpec): string {
  const { region: _region, ...described } = spec;
  return `${JSON.stringify({ kind: 'device', ...described, installedAt: new Date(spec.installedAt).toISOString() })}\n`;
}

/** The lines of one tick: its telemetry, then its events and ground truth. Built by hand: this runs per sample. */
export function tickLines(tick: DeviceTick): string {
  const device = `"deviceId":${JSON.stringify(tick.deviceId)},"model":"${tick.model}"`;
  let out = `{"kind":"telemetry",${device},"ts":${tick.sample.ts},"seq":${tick.sample.seq},"metrics":${JSON.stringify(tick.sample.metrics)}}\n`;
  for (const event of tick.events) out += `{"kind":"event",${device},"event":${JSON.stringify(event)}}\n`;
  for (const record of tick.groundTruth) out += `${JSON.stringify({ kind: 'ground_truth', ...record })}\n`;
  return out;
}
