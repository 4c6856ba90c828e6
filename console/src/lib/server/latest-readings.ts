import { catalog, type DeviceModel } from '@aftercare/core';

/** One row of a device's latest readings, judged as a technician would read it. */
export interface ReadingRow {
  name: string;
  label: string;
  unit: string;
  value: number;
  healthy: [number, number];
  /** `outside`: a running machine's reading beyond its healthy range; `not_judged`: stopped or defrosting. */
  verdict: 'healthy' | 'outside' | 'not_judged';
}

export interface LatestReadings {
  rows: ReadingRow[];
  /**
   * The machine cycles and was stopped at its last reading (an air conditioner between compressor
   * runs): its temperatures and currents then say nothing about its health, so none is flagged.
   * The label of the reading that tells it, and the threshold it was under.
   */
  stopped: { label: string; unit: string; above: number } | null;
  /**
   * The machine was defrosting at its last reading (a refrigerator's heater on, its evaporator warmed
   * above zero on purpose): its temperatures are out of range by design, so none is flagged. The
   * label of the reading that tells it, and the threshold it was above.
   */
  defrosting: { label: string; unit: string; above: number } | null;
}

/**
 * The latest reading of every catalogue metric the device sent, in catalogue order, each against its
 * healthy range. The ranges are those of a running machine: a split AC idling at night reads 0 A on
 * its compressor and room temperature at its outlet, which is no fault, so a stopped machine's
 * readings are shown without a verdict rather than all flagged.
 */
export function latestReadings(
  model: DeviceModel,
  latest: Readonly<Record<string, number>> | null,
): LatestReadings {
  const spec = catalog[model];
  if (!latest) return { rows: [], stopped: null, defrosting: null };
  const running = spec.running;
  const runningValue = running ? latest[running.metric] : undefined;
  const runningSpec = running ? spec.metrics.find((m) => m.name === running.metric) : undefined;
  const stopped =
    running && runningSpec && runningValue !== undefined && runningValue <= running.above
      ? { label: runningSpec.label, unit: runningSpec.unit, above: running.above }
      : null;
  const defrost = spec.defrost;
  const defrostValue = defrost ? latest[defrost.metric] : undefined;
  const defrostSpec = defrost ? spec.metrics.find((m) => m.name === defrost.metric) : undefined;
  const defrosting =
    defrost && defrostSpec && defrostValue !== undefined && defrostValue > defrost.above
      ? { label: defrostSpec.label, unit: defrostSpec.unit, above: defrost.above }
      : null;
  const judged = stopped === null && defrosting === null;
  const rows = spec.metrics.flatMap((m): ReadingRow[] => {
    const value = latest[m.name];
    if (value === undefined) return [];
    const healthy: [number, number] = [m.healthy[0], m.healthy[1]];
    const verdict = !judged ? 'not_judged' : value < healthy[0] || value > healthy[1] ? 'outside' : 'healthy';
    return [{ name: m.name, label: m.label, unit: m.unit, value, healthy, verdict }];
  });
  return { rows, stopped, defrosting };
}
