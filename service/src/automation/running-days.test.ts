import { describe, expect, it } from 'vitest';
import { dailyMeans } from './running-days.ts';
import { DAY_MS } from './work.ts';

const HOUR = 3_600_000;
const day0 = 20_000 * DAY_MS;

/** Two days of an air conditioner that runs in the afternoon only: current 6 A running, 0 idle. */
function hours() {
  const ts: number[] = [];
  const current: (number | null)[] = [];
  const discharge: (number | null)[] = [];
  for (let h = 0; h < 48; h++) {
    ts.push(day0 + h * HOUR);
    const on = h % 24 >= 12 && h % 24 < 18;
    current.push(on ? 6 : 0);
    // Day two runs 10 °C hotter while running; idle it sits at ambient.
    discharge.push(on ? (h < 24 ? 70 : 80) : 30);
  }
  discharge[13] = null;
  return { ts, values: { compressor_current_a: current, discharge_temp_c: discharge } };
}

describe('dailyMeans', () => {
  it('averages only the running hours when the model names a running reading', () => {
    const days = dailyMeans(hours(), ['discharge_temp_c'], { metric: 'compressor_current_a', above: 1 });
    expect(days.discharge_temp_c).toEqual([
      { day: day0, value: 70 },
      { day: day0 + DAY_MS, value: 80 },
    ]);
  });

  it('averages every hour with data otherwise, which dilutes a running fault', () => {
    const days = dailyMeans(hours(), ['discharge_temp_c']);
    expect(days.discharge_temp_c![0]!.value).toBeCloseTo((5 * 70 + 18 * 30) / 23, 9);
    expect(days.discharge_temp_c![1]!.value).toBeCloseTo((6 * 80 + 18 * 30) / 24, 9);
  });

  it('gives a day no value when the machine never ran', () => {
    const idle = {
      ts: [day0, day0 + HOUR],
      values: { compressor_current_a: [0, 0], discharge_temp_c: [30, 30] },
    };
    expect(dailyMeans(idle, ['discharge_temp_c'], { metric: 'compressor_current_a', above: 1 })).toEqual({
      discharge_temp_c: [],
    });
  });
});
