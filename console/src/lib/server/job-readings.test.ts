import type { RiskDriver } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { chooseMetrics } from './job-readings.ts';

const known = [
  'supply_air_temp_c',
  'compressor_current_a',
  'discharge_temp_c',
  'suction_pressure_kpa',
  'power_w',
];
const driver = (metric: string, weight: number): RiskDriver => ({
  metric,
  label: metric,
  unit: '',
  change: 1,
  overDays: 5,
  direction: 'up',
  weight,
  text: metric,
});

describe('chooseMetrics', () => {
  it("charts the drivers' metrics strongest first, then the failure mode's signature", () => {
    const drivers = [driver('compressor_current_a', 0.2), driver('discharge_temp_c', 0.7)];
    expect(chooseMetrics(known, drivers, ['suction_pressure_kpa', 'discharge_temp_c'], [])).toEqual({
      selected: ['discharge_temp_c', 'compressor_current_a', 'suction_pressure_kpa'],
      driverMetrics: ['discharge_temp_c', 'compressor_current_a'],
    });
  });

  it('charts what the technician picked, and ignores names the model does not have', () => {
    const drivers = [driver('discharge_temp_c', 0.7), driver('no_such_metric', 0.3)];
    expect(chooseMetrics(known, drivers, [], ['power_w', 'nonsense'])).toEqual({
      selected: ['power_w'],
      driverMetrics: ['discharge_temp_c'],
    });
  });

  it('charts the first metrics of the model for a job without a risk', () => {
    expect(chooseMetrics(known, [], [], []).selected).toEqual(known.slice(0, 3));
  });
});
