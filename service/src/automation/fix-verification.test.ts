import { describe, expect, it } from 'vitest';
import { type DailyValue, type FixVerificationInput, verifyFix } from './fix-verification.ts';
import { SeededRandom } from './seeded-random.ts';
import { DAY_MS, HOUR_MS } from './work.ts';

const day0 = Date.UTC(2026, 2, 1);
const onsetAt = day0 + 30 * DAY_MS;
const resolvedAt = day0 + 50 * DAY_MS + 10 * HOUR_MS;

/**
 * A split AC with a refrigerant leak, as daily means: healthy for 30 days, drifting for 20 days from the
 * onset to the repair (suction pressure 470 → 390 kPa, supply air 14 → 19 °C, power 1250 → 1500 W), then
 * after the repair either back to healthy (`recovery` 1), partly (0.3) or not at all (0).
 */
function leakSeries(recovery: number, days = 70, seed = 1, severity = 1): Record<string, DailyValue[]> {
  const rng = new SeededRandom(seed);
  const metrics = [
    ['suction_pressure_kpa', 470, -80, 6],
    ['supply_air_temp_c', 14, 5, 0.4],
    ['power_w', 1250, 250, 30],
  ] as const;
  const out: Record<string, DailyValue[]> = {};
  for (const [metric, healthy, drift, sd] of metrics) {
    out[metric] = [];
    for (let d = 0; d < days; d++) {
      const day = day0 + d * DAY_MS;
      const progress = Math.min(1, Math.max(0, (day - onsetAt) / (resolvedAt - onsetAt)));
      const shift = severity * (day < resolvedAt ? drift * progress : drift * (1 - recovery));
      out[metric].push({ day, value: healthy + shift + rng.normal(0, sd) });
    }
  }
  return out;
}

function input(recovery: number, now: number, riskAfter: number | null, days = 70): FixVerificationInput {
  const risk = [{ at: resolvedAt - 6 * HOUR_MS, pFail: 0.82 }];
  for (let t = resolvedAt + DAY_MS; t <= now && riskAfter !== null; t += DAY_MS)
    risk.push({ at: t, pFail: riskAfter });
  return {
    ticket: {
      ticketId: 'T1',
      model: 'split-ac',
      failureMode: 'refrigerant_leak',
      resolvedAt,
      observationDays: 7,
    },
    onsetAt,
    series: leakSeries(recovery, days),
    risk,
    now,
  };
}

describe('verifyFix', () => {
  it('verifies a repair after which the degraded metrics recover and the risk falls', () => {
    const v = verifyFix(input(1, resolvedAt + 4 * DAY_MS, 0.08));
    expect(v.outcome).toBe('verified');
    expect(v.metrics.map((m) => m.metric)).toEqual(['suction_pressure_kpa', 'supply_air_temp_c', 'power_w']);
    for (const m of v.metrics) {
      expect(m.degradedAtRepair).toBe(true);
      expect(m.recoveredFraction!).toBeGreaterThan(0.8);
    }
    expect(v.riskBefore).toBe(0.82);
    expect(v.riskAfter).toBe(0.08);
  });

  it('flags for review a repair after which nothing measurable changed in the agreed time', () => {
    const v = verifyFix(input(0, resolvedAt + 8 * DAY_MS, 0.8));
    expect(v.outcome).toBe('flag_for_review');
    expect(v.reason).toMatch(/did not recover/);
    for (const m of v.metrics) expect(Math.abs(m.recoveredFraction!)).toBeLessThan(0.3);
  });

  it('waits while the observation period is open and the device has not recovered yet', () => {
    expect(verifyFix(input(0, resolvedAt + 3 * DAY_MS, 0.8)).outcome).toBe('pending');
    // The day of the repair: no settled telemetry yet, even though the repair worked.
    expect(verifyFix(input(1, resolvedAt + 12 * HOUR_MS, null)).outcome).toBe('pending');
  });

  it('does not verify a partial recovery short of the stated fraction', () => {
    const v = verifyFix(input(0.3, resolvedAt + 8 * DAY_MS, 0.3));
    expect(v.outcome).toBe('flag_for_review');
    for (const m of v.metrics) expect(m.recoveredFraction!).toBeLessThan(0.5);
  });

  it('does not verify recovered metrics while the model still sees the failure coming', () => {
    const v = verifyFix(input(1, resolvedAt + 8 * DAY_MS, 0.75));
    expect(v.outcome).toBe('flag_for_review');
    expect(v.reason).toMatch(/risk did not fall/);
  });

  it('flags a repair of a device whose telemetry never showed the failure', () => {
    const healthy = { ...input(1, resolvedAt + 8 * DAY_MS, 0.1), series: leakSeries(1, 70, 2, 0) };
    healthy.risk = [{ at: resolvedAt - HOUR_MS, pFail: 0.2 }];
    const v = verifyFix(healthy);
    expect(v.outcome).toBe('flag_for_review');
    expect(v.reason).toBe('no degradation was measurable before the repair');
  });

  it('flags a device that sent no telemetry after the repair once the period is over', () => {
    const v = verifyFix(input(1, resolvedAt + 8 * DAY_MS, null, 50));
    expect(v.outcome).toBe('flag_for_review');
    expect(v.reason).toBe('no telemetry after the repair');
  });
});
