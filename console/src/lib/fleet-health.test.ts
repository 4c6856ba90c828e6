import { describe, expect, it } from 'vitest';
import { deviceHealth } from './fleet-health.ts';

describe('deviceHealth', () => {
  const low = { pFail: 0.1, daysLeft: null };
  const high = { pFail: 0.6, daysLeft: 5 };
  const failing = { pFail: 0.97, daysLeft: 0 };

  it('counts each device once, failed before at risk before offline before healthy', () => {
    expect(deviceHealth(false, [failing, high])).toBe('failed');
    expect(deviceHealth(false, [high, low])).toBe('at_risk');
    expect(deviceHealth(false, [low])).toBe('offline');
    expect(deviceHealth(true, [low])).toBe('healthy');
  });

  it('does not call a likely but still distant failure "failed"', () => {
    expect(deviceHealth(true, [{ pFail: 0.97, daysLeft: 2 }])).toBe('at_risk');
  });

  it('judges a device with unknown presence on its risks alone', () => {
    expect(deviceHealth(null, [])).toBe('healthy');
    expect(deviceHealth(null, [high])).toBe('at_risk');
  });
});
