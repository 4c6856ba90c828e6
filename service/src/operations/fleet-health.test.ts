import { fleetHealthRules } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { judgeFleetHealth } from './fleet-health.ts';

const scoredAt = Date.UTC(2026, 10, 1);
const risk = (deviceId: string, pFail: number, daysLeft: number | null) => ({
  deviceId,
  pFail,
  daysLeft,
  scoredAt,
});
const healthOf = (online: boolean, risks: { pFail: number; daysLeft: number | null }[]) =>
  judgeFleetHealth(
    [{ id: 'd1' }],
    risks.map((r) => risk('d1', r.pFail, r.daysLeft)),
    () => online,
  ).devices.get('d1')!.health;

describe('a device’s health in the fleet', () => {
  const low = { pFail: 0.1, daysLeft: null };
  const high = { pFail: 0.6, daysLeft: 5 };
  const failing = { pFail: 0.97, daysLeft: 0 };

  it('counts each device once, failed before at risk before offline before healthy', () => {
    expect(healthOf(false, [failing, high])).toBe('failed');
    expect(healthOf(false, [high, failing])).toBe('failed');
    expect(healthOf(false, [high, low])).toBe('at_risk');
    expect(healthOf(false, [low])).toBe('offline');
    expect(healthOf(true, [low])).toBe('healthy');
  });

  it('does not call a likely but still distant failure "failed"', () => {
    expect(healthOf(true, [{ pFail: 0.97, daysLeft: 2 }])).toBe('at_risk');
  });

  it("draws the lines where core's fleetHealthRules do", () => {
    const { atRiskProbability: atRisk, failedProbability: failed } = fleetHealthRules;
    expect(healthOf(true, [{ pFail: atRisk, daysLeft: 9 }])).toBe('at_risk');
    expect(healthOf(true, [{ pFail: atRisk - 0.01, daysLeft: 9 }])).toBe('healthy');
    expect(healthOf(true, [{ pFail: failed, daysLeft: 0 }])).toBe('failed');
    expect(healthOf(true, [{ pFail: failed - 0.01, daysLeft: 0 }])).toBe('at_risk');
  });

  it('ignores risks of devices outside the ones judged, and counts the scored components of those only', () => {
    const fleet = judgeFleetHealth(
      [{ id: 'mine' }],
      [risk('mine', 0.2, 30), risk('mine', 0.7, 4), risk('theirs', 0.99, 0)],
      () => true,
    );
    expect([...fleet.devices.keys()]).toEqual(['mine']);
    expect(fleet.devices.get('mine')).toEqual({ health: 'at_risk', online: true, maxPFail: 0.7 });
    expect(fleet).toMatchObject({ scoredComponents: 2, atRiskComponents: 1, lastScoredAt: scoredAt });
  });
});
