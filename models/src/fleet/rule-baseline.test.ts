import type { DeviceWindow } from '@aftercare/ingest';
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../features/feature-spec.ts';
import { failureTargets } from './labels.ts';
import { baselineScores } from './rule-baseline.ts';

const t0 = Date.UTC(2026, 0, 1);

/** A purifier whose UV intensity wobbles around 90 % for 20 days, then drops to 60 %. */
function purifier(): DeviceWindow {
  const ts = Array.from({ length: 21 * 24 }, (_, i) => t0 + i * HOUR_MS);
  return {
    deviceId: 'wp-1',
    ts,
    values: {
      uv_intensity_pct: ts.map((t, i) =>
        t >= t0 + 20 * DAY_MS ? 60 : 90 + (Math.floor(i / 24) % 2 === 0 ? 1 : -1),
      ),
      pump_current_a: ts.map(() => 0.7),
    },
  };
}

describe('baselineScores', () => {
  const targets = failureTargets('water-purifier');
  const uv = targets.findIndex((t) => t.failureMode === 'uv_lamp_ageing');
  const controller = targets.findIndex((t) => t.failureMode === 'controller_fault');
  const times = [t0 + 19 * DAY_MS, t0 + 21 * DAY_MS];
  const scores = baselineScores('water-purifier', targets, purifier(), HOUR_MS, times);

  it('scores a signature metric’s daily mean in standard deviations of its own trailing days', () => {
    // Daily means alternate 91 / 89: their std over 13 days is about 1.04.
    expect(Math.abs(scores[uv]!.sigma[0]!)).toBeLessThan(1.5);
    expect(scores[uv]!.sigma[1]).toBeGreaterThan(25);
  });

  it('scores how far the daily mean is beyond the healthy range, in range widths, in the signature’s direction', () => {
    // Healthy 75–100 %: 90 is inside (−0.6 widths from the lower bound), 60 is 0.6 widths below it.
    expect(scores[uv]!.range[0]).toBeCloseTo(-(91 - 75) / 25, 6);
    expect(scores[uv]!.range[1]).toBeCloseTo((75 - 60) / 25, 6);
  });

  it('stays quiet for a mode whose signature metric is flat', () => {
    expect(scores[controller]!.sigma[1]).toBe(0);
  });
});
