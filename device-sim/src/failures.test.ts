import { catalog, type DeviceModel, deviceModels, parseDeviceEvent } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { DeviceSimulator } from './device-simulator.ts';
import type { DeviceSpec, DeviceTick } from './device-spec.ts';
import { correctiveRepairDays } from './failure-schedule.ts';
import { fleetSpecs } from './fleet.ts';
import { firstSampleAt, generateHistory, simulateDevice } from './history.ts';
import { modelSims } from './models/index.ts';
import { DAY_MS, HOUR_MS } from './region.ts';

const start = Date.UTC(2025, 3, 1);
const onsetAt = start + 2 * DAY_MS;

function healthy(model: DeviceModel, seed = 21): DeviceSpec {
  return fleetSpecs({ seed, devices: 1, models: { [model]: 1 }, start, failureRate: 0 })[0]!;
}

/** The same unit twice, same seed and same noise: one healthy, one carrying the failure. */
function twins(model: DeviceModel, failureMode: string, leadDays: number, seed = 21) {
  const base = healthy(model, seed);
  const failedAt = onsetAt + leadDays * DAY_MS;
  const sick: DeviceSpec = { ...base, failures: [{ failureMode, onsetAt, failedAt }] };
  const run = (spec: DeviceSpec, intervalMs = HOUR_MS) => [
    ...simulateDevice(spec, start, failedAt + 3 * DAY_MS, intervalMs, { autoRepair: false }),
  ];
  return { base, sick, failedAt, run };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function sd(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
}

/** Mean difference sick − healthy of a metric over the part [from, to) of the lead, as fractions. */
function shift(
  sick: DeviceTick[],
  well: DeviceTick[],
  metric: string,
  failedAt: number,
  from: number,
  to: number,
): number {
  const lead = failedAt - onsetAt;
  const inWindow = (t: DeviceTick) =>
    t.sample.ts >= onsetAt + from * lead && t.sample.ts < onsetAt + to * lead;
  const diffs = sick
    .filter(inWindow)
    .map((t, i) => t.sample.metrics[metric]! - well.filter(inWindow)[i]!.sample.metrics[metric]!);
  return mean(diffs);
}

describe('failure injection', () => {
  it('gives every device model at least two failure modes, each moving its catalog signature in the catalog direction', () => {
    for (const model of deviceModels) {
      const modes = catalog[model].failureModes;
      expect(modes.length).toBeGreaterThanOrEqual(2);
      for (const mode of modes) {
        const behaviour = modelSims[model].behaviours[mode.id];
        expect(behaviour, `${model} ${mode.id}`).toBeDefined();
        for (const { metric, direction } of mode.signature) {
          const effect = behaviour!.effects[metric];
          expect(effect, `${model} ${mode.id} ${metric}`).toBeDefined();
          expect(Math.sign(effect!.add ?? effect!.mul!), `${model} ${mode.id} ${metric}`).toBe(
            direction === 'up' ? 1 : -1,
          );
        }
      }
    }
  });

  it('compressor wear raises compressor current and discharge temperature over its lead days, hidden in daily variation at first', () => {
    const { run, base, sick, failedAt } = twins('split-ac', 'compressor_wear', 30);
    const well = run(base);
    const worn = run(sick);
    const runningCurrent = well.map((t) => t.sample.metrics.compressor_current_a!).filter((v) => v > 0);
    const current = (from: number, to: number) =>
      shift(worn, well, 'compressor_current_a', failedAt, from, to);
    const discharge = (from: number, to: number) => shift(worn, well, 'discharge_temp_c', failedAt, from, to);
    expect(current(0, 0.2)).toBeLessThan(0.1 * sd(runningCurrent));
    expect(current(0.4, 0.6)).toBeGreaterThan(current(0, 0.2));
    expect(current(0.8, 1)).toBeGreaterThan(current(0.4, 0.6));
    expect(current(0.8, 1)).toBeGreaterThan(0.5);
    expect(discharge(0.8, 1)).toBeGreaterThan(4);
    expect(discharge(0.8, 1)).toBeGreaterThan(discharge(0.4, 0.6));
  });

  it('RO membrane fouling raises membrane pressure and lowers flow', () => {
    const { run, base, sick, failedAt } = twins('water-purifier', 'membrane_fouling', 30);
    const well = run(base);
    const fouled = run(sick);
    expect(shift(fouled, well, 'membrane_pressure_kpa', failedAt, 0.8, 1)).toBeGreaterThan(40);
    expect(shift(fouled, well, 'flow_lpm', failedAt, 0.8, 1)).toBeLessThan(-0.2);
    expect(shift(fouled, well, 'tds_out_ppm', failedAt, 0.8, 1)).toBeGreaterThan(5);
  });

  for (const model of deviceModels) {
    for (const mode of catalog[model].failureModes) {
      it(`${model} ${mode.id}: degrades ${mode.signature.map((s) => `${s.metric} ${s.direction}`).join(', ')} before the failure`, () => {
        const { run, base, sick, failedAt } = twins(model, mode.id, Math.max(mode.leadDays[1], 14));
        const well = run(base, 15 * 60_000);
        const ill = run(sick, 15 * 60_000);
        for (const { metric, direction } of mode.signature) {
          const late = shift(ill, well, metric, failedAt, 0.7, 1);
          // An air conditioner spends much of the day switched off; compare with its spread while running.
          const operating = well.filter(
            (t) => model !== 'split-ac' || t.sample.metrics.compressor_current_a! > 0,
          );
          const spread = sd(operating.map((t) => t.sample.metrics[metric]!));
          expect(Math.sign(late), `${metric} should go ${direction}`).toBe(direction === 'up' ? 1 : -1);
          expect(Math.abs(late), `${metric} moves visibly`).toBeGreaterThan(0.1 * spread);
        }
      });
    }
  }

  it('stops the component at the failure time: a failed compressor draws no current and cools nothing', () => {
    const { run, sick, failedAt } = twins('split-ac', 'compressor_wear', 20);
    const after = run(sick).filter((t) => t.sample.ts > failedAt);
    const onButBroken = after.filter((t) => t.sample.metrics.power_w! > 20);
    expect(onButBroken.length).toBeGreaterThan(5);
    for (const t of onButBroken) {
      expect(t.sample.metrics.compressor_current_a).toBe(0);
      expect(t.sample.metrics.return_air_temp_c! - t.sample.metrics.supply_air_temp_c!).toBeLessThan(1);
    }
  });

  it('publishes each failure once, as a failure event carrying the failure mode, matching its ground truth record', () => {
    const ticks = [
      ...generateHistory({
        seed: 5,
        devices: 40,
        from: start,
        to: start + 120 * DAY_MS,
        intervalMs: 3 * HOUR_MS,
      }),
    ];
    const truth = ticks.flatMap((t) => t.groundTruth);
    const failures = ticks.flatMap((t) =>
      t.events.filter((e) => e.type === 'failure').map((e) => ({ ...e, deviceId: t.deviceId })),
    );
    expect(truth.length).toBeGreaterThan(10);
    expect(failures.map((f) => [f.deviceId, f.code, f.failureMode, f.component, f.ts])).toEqual(
      truth.map((r) => [r.deviceId, r.failureMode, r.failureMode, r.component, r.failedAt]),
    );
    for (const record of truth) {
      const mode = catalog[record.model].failureModes.find((m) => m.id === record.failureMode)!;
      expect(record.component).toBe(mode.component);
      const leadDays = (record.failedAt - record.onsetAt) / DAY_MS;
      expect(leadDays).toBeGreaterThanOrEqual(mode.leadDays[0]);
      expect(leadDays).toBeLessThanOrEqual(mode.leadDays[1]);
    }
    for (const event of ticks.flatMap((t) => t.events)) {
      const parsed = parseDeviceEvent(JSON.stringify(event), start + 365 * DAY_MS);
      expect(parsed.ok, JSON.stringify(event)).toBe(true);
    }
  });

  it('raises firmware error codes as a failure nears, without naming the failure mode', () => {
    const { run, sick, failedAt } = twins('refrigerator', 'defrost_heater_failure', 10);
    const errors = run(sick)
      .flatMap((t) => t.events)
      .filter((e) => e.type === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.code === 'rf.defrost_timeout' && e.failureMode === undefined)).toBe(true);
    expect(errors.every((e) => e.ts > onsetAt + 0.3 * (failedAt - onsetAt))).toBe(true);
  });

  it('expects about failureRate random failures per device-year', () => {
    const ticks = generateHistory({
      seed: 9,
      devices: 150,
      from: start,
      to: start + 365 * DAY_MS,
      intervalMs: 12 * HOUR_MS,
    });
    let failures = 0;
    for (const tick of ticks) failures += tick.groundTruth.length;
    expect(failures / 150).toBeGreaterThan(2.4);
    expect(failures / 150).toBeLessThan(3.6);
  });
});

describe('repair', () => {
  it('before the failure prevents it and restores the healthy twin exactly', () => {
    const { base, sick, failedAt } = twins('split-ac', 'compressor_wear', 20);
    const well = new DeviceSimulator(base, start, { autoRepair: false });
    const worn = new DeviceSimulator(sick, start, { autoRepair: false });
    const repairAt = onsetAt + 15 * DAY_MS;
    const events = [];
    for (let ts = firstSampleAt(start, HOUR_MS); ts < failedAt + 5 * DAY_MS; ts += HOUR_MS) {
      const a = well.step(ts, HOUR_MS);
      const b = worn.step(ts, HOUR_MS);
      events.push(...b.events);
      if (ts === repairAt) {
        const outcome = worn.repair(ts);
        expect(outcome.cleared).toEqual([
          { failureMode: 'compressor_wear', component: 'compressor', onsetAt, failedAt, prevented: true },
        ]);
      }
      if (ts > repairAt) expect(b.sample).toEqual(a.sample);
      expect(b.groundTruth).toEqual([]);
    }
    expect(events.filter((e) => e.type === 'failure')).toEqual([]);
    expect(events.filter((e) => e.type === 'info' && e.code === 'repaired')).toHaveLength(1);
  });

  it('after the failure brings the device back, and the outcome says the failure happened', () => {
    const { base, sick, failedAt } = twins('washing-machine', 'heater_element_failure', 8);
    const well = new DeviceSimulator(base, start, { autoRepair: false });
    const broken = new DeviceSimulator(sick, start, { autoRepair: false });
    let repaired = false;
    let last: [DeviceTick, DeviceTick] | null = null;
    for (let ts = firstSampleAt(start, HOUR_MS); ts < failedAt + 20 * DAY_MS; ts += HOUR_MS) {
      last = [well.step(ts, HOUR_MS), broken.step(ts, HOUR_MS)];
      if (!repaired && ts >= failedAt + 2 * DAY_MS) {
        expect(broken.repair(ts).cleared[0]).toMatchObject({
          failureMode: 'heater_element_failure',
          prevented: false,
        });
        repaired = true;
      }
    }
    // The washer reports its last cycle's figures, so a few cycles after the repair it matches its twin.
    expect(last![1].sample.metrics.heater_current_a).toBe(last![0].sample.metrics.heater_current_a);
    expect(broken.activeFailures()).toEqual([]);
  });

  it('happens by itself a few days after a failure unless the service side takes over', () => {
    const { sick, failedAt } = twins('refrigerator', 'door_gasket_leak', 14);
    const ticks = [...simulateDevice(sick, start, failedAt + 10 * DAY_MS, HOUR_MS)];
    const repairedAt = ticks.flatMap((t) => t.events).find((e) => e.code === 'repaired')!.ts;
    expect(repairedAt - failedAt).toBeGreaterThanOrEqual(correctiveRepairDays[0] * DAY_MS);
    expect(repairedAt - failedAt).toBeLessThanOrEqual(correctiveRepairDays[1] * DAY_MS);
  });

  it('by remote command clears the modes the catalog says a command can fix, and only those', () => {
    const { sick, failedAt } = twins('refrigerator', 'sensor_drift', 20);
    const fridge = new DeviceSimulator(sick, start, { autoRepair: false });
    for (let ts = firstSampleAt(start, HOUR_MS); ts <= onsetAt + 10 * DAY_MS; ts += HOUR_MS)
      fridge.step(ts, HOUR_MS);
    const at = fridge.currentTime;
    const wrong = fridge.applyCommand({ commandId: 'c1', command: 'reset_controller', ts: at }, at);
    expect(wrong).toMatchObject({ type: 'command_result', code: 'unknown_command', commandId: 'c1' });
    const fix = fridge.applyCommand({ commandId: 'c2', command: 'recalibrate_sensor', ts: at }, at);
    expect(fix).toMatchObject({
      type: 'command_result',
      code: 'ok',
      commandId: 'c2',
      data: { cleared: 'sensor_drift' },
    });
    expect(parseDeviceEvent(JSON.stringify(fix), at).ok).toBe(true);
    const again = fridge.applyCommand({ commandId: 'c3', command: 'recalibrate_sensor', ts: at }, at);
    expect(again.code).toBe('no_effect');
    expect(fridge.step(at + HOUR_MS, HOUR_MS).events.map((e) => e.code)).toContain('repaired');
    expect(fridge.activeFailures()).toEqual([]);
    expect(failedAt).toBeGreaterThan(at);
  });
});

describe('generateHistory', () => {
  it('streams: the first ticks come without simulating the rest', () => {
    const history = generateHistory({ seed: 1, devices: 100_000, from: start, to: start + 3650 * DAY_MS });
    const first = history.next();
    expect(first.done).toBe(false);
    expect((first.value as DeviceTick).sample.ts).toBe(firstSampleAt(start, HOUR_MS));
    history.return(undefined);
  });

  it('gives one tick per device and hour, in device order or in time order alike', () => {
    const options = { seed: 3, devices: 6, from: start, to: start + 10 * DAY_MS };
    const byDevice = [...generateHistory(options)];
    const byTime = [...generateHistory({ ...options, order: 'time' })];
    expect(byDevice).toHaveLength(6 * 240);
    const key = (t: DeviceTick) => `${t.deviceId}/${t.sample.ts}`;
    expect([...byTime].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      [...byDevice].sort((a, b) => key(a).localeCompare(key(b))),
    );
    for (let i = 1; i < byTime.length; i++)
      expect(byTime[i]!.sample.ts).toBeGreaterThanOrEqual(byTime[i - 1]!.sample.ts);
  });

  it('produces a year of hourly history for a 50-device fleet in one pass', () => {
    let samples = 0;
    let metrics = 0;
    for (const tick of generateHistory({ seed: 2, devices: 50, from: start, to: start + 365 * DAY_MS })) {
      samples++;
      metrics += Object.keys(tick.sample.metrics).length;
    }
    expect(samples).toBe(50 * 365 * 24);
    expect(metrics / samples).toBeGreaterThanOrEqual(7);
  });
});
