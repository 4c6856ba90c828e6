import { DeviceSimulator, fleetSpecs } from '@aftercare/device-sim';
import { describe, expect, it } from 'vitest';
import { latestReadings } from './latest-readings.ts';

/** A day of one simulated device's 5-minute samples, as its latest reading would be at each. */
function dayOfSamples(model: 'split-ac' | 'refrigerator') {
  const start = Date.UTC(2026, 4, 10);
  const spec = fleetSpecs({ devices: 8, seed: 7, start, models: { [model]: 1 } }).find(
    (s) => s.model === model,
  )!;
  const sim = new DeviceSimulator({ ...spec, failureRate: 0 }, start);
  return Array.from({ length: 288 }, (_, i) => sim.step(start + (i + 1) * 300_000, 300_000).sample.metrics);
}

describe('latestReadings', () => {
  const ac = dayOfSamples('split-ac');
  const idle = ac.find((m) => (m.compressor_current_a ?? 1) === 0)!;
  const running = ac.find((m) => (m.compressor_current_a ?? 0) > 3)!;

  it('judges nothing while an air conditioner is between compressor runs, and says why', () => {
    expect(idle, 'the simulated AC idles some time of the day').toBeDefined();
    const readings = latestReadings('split-ac', idle);
    expect(readings.stopped).toEqual({ label: 'Compressor current', unit: 'A', above: 1 });
    expect(readings.rows.length).toBeGreaterThan(5);
    expect(readings.rows.every((r) => r.verdict === 'not_judged')).toBe(true);
  });

  it('judges a running machine against the healthy ranges: a healthy AC is healthy throughout', () => {
    const readings = latestReadings('split-ac', running);
    expect(readings.stopped).toBeNull();
    const outside = readings.rows.filter((r) => r.verdict === 'outside').map((r) => r.name);
    // The simulator's healthy unit runs inside every range but the weather's.
    expect(outside.filter((n) => n !== 'outdoor_temp_c' && n !== 'return_air_temp_c')).toEqual([]);
    expect(readings.rows.map((r) => r.name)).toContain('compressor_current_a');
  });

  it('flags a running reading beyond its range', () => {
    const hot = { ...running, discharge_temp_c: 97 };
    const row = latestReadings('split-ac', hot).rows.find((r) => r.name === 'discharge_temp_c')!;
    expect(row).toMatchObject({ verdict: 'outside', healthy: [60, 85], unit: '°C' });
  });

  it('judges a refrigerator, which does not stop, in catalogue order, outside its defrosts', () => {
    const fridge = dayOfSamples('refrigerator');
    const cooling = fridge.find((m) => m.defrost_heater_current_a === 0)!;
    const readings = latestReadings('refrigerator', cooling);
    expect(readings.stopped).toBeNull();
    expect(readings.defrosting).toBeNull();
    expect(readings.rows.some((r) => r.verdict !== 'not_judged')).toBe(true);
    expect(readings.rows[0]!.name).toBe('cabinet_temp_c');
  });

  it('judges nothing while a healthy refrigerator defrosts, where its evaporator is warmed on purpose', () => {
    const fridge = dayOfSamples('refrigerator');
    const defrosts = fridge.filter((m) => (m.defrost_heater_current_a ?? 0) > 0);
    expect(defrosts.length, 'the simulated refrigerator defrosts a few times a day').toBeGreaterThan(0);
    // Judged as before, a healthy unit's defrost read as faults: the evaporator far above its range.
    const warmed = defrosts.find((m) => (m.evaporator_temp_c ?? -99) > -20);
    expect(warmed).toBeDefined();
    const readings = latestReadings('refrigerator', warmed!);
    expect(readings.defrosting).toEqual({ label: 'Defrost heater current', unit: 'A', above: 0.3 });
    expect(readings.rows.every((r) => r.verdict === 'not_judged')).toBe(true);
  });

  it('has no rows for a device that has sent nothing', () => {
    expect(latestReadings('split-ac', null)).toEqual({ rows: [], stopped: null, defrosting: null });
  });
});
