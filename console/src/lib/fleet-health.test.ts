import { fleetHealthRules } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { deviceHealth } from './fleet-health.ts';

describe('deviceHealth', () => {
  const rules = fleetHealthRules;
  const low = { pFail: 0.1, daysLeft: null };
  const high = { pFail: 0.6, daysLeft: 5 };
  const failing = { pFail: 0.97, daysLeft: 0 };

  it('counts each device once, failed before at risk before offline before healthy', () => {
    expect(deviceHealth(false, [failing, high], rules)).toBe('failed');
    expect(deviceHealth(false, [high, low], rules)).toBe('at_risk');
    expect(deviceHealth(false, [low], rules)).toBe('offline');
    expect(deviceHealth(true, [low], rules)).toBe('healthy');
  });

  it('does not call a likely but still distant failure "failed"', () => {
    expect(deviceHealth(true, [{ pFail: 0.97, daysLeft: 2 }], rules)).toBe('at_risk');
  });

  it('judges a device with unknown presence on its risks alone', () => {
    expect(deviceHealth(null, [], rules)).toBe('healthy');
    expect(deviceHealth(null, [high], rules)).toBe('at_risk');
  });

  it("draws the lines where core's fleetHealthRules do, as the service's fleet summary counts", () => {
    const { atRiskProbability: atRisk, failedProbability: failed } = fleetHealthRules;
    expect(deviceHealth(true, [{ pFail: atRisk, daysLeft: 9 }], rules)).toBe('at_risk');
    expect(deviceHealth(true, [{ pFail: atRisk - 0.01, daysLeft: 9 }], rules)).toBe('healthy');
    expect(deviceHealth(true, [{ pFail: failed, daysLeft: 0 }], rules)).toBe('failed');
    expect(deviceHealth(true, [{ pFail: failed - 0.01, daysLeft: 0 }], rules)).toBe('at_risk');
    // Other rules move the lines: nothing in this module holds numbers of its own.
    expect(deviceHealth(true, [high], { atRiskProbability: 0.7, failedProbability: 0.95 })).toBe('healthy');
  });
});
