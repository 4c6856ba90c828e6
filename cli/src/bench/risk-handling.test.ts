import type { Risk } from '@aftercare/core';
import { createLogger } from '@aftercare/core';
import { type GroundTruthRecord, generateHistory, historySpecs } from '@aftercare/device-sim';
import { describe, expect, it } from 'vitest';
import { benchRiskHandling, riskHandlingRows } from './risk-handling.ts';

const dayMs = 86_400_000;

describe('the risk automation bench', () => {
  it('hands one run of risks to the service twice: work is planned the first time, found there the second', async () => {
    const now = Date.UTC(2026, 10, 23, 6);
    // A small simulated fleet; its recorded failures of the next three weeks become the risks a model
    // that saw them coming would hand over (the bench itself takes a real scoring run's).
    const history = { seed: 5, devices: 60, from: now - dayMs, to: now + 21 * dayMs, failureRate: 8 };
    const failures = new Map<string, GroundTruthRecord>();
    for (const tick of generateHistory(history))
      for (const truth of tick.groundTruth)
        if (truth.failedAt > now) failures.set(`${truth.deviceId}/${truth.component}`, truth);
    const risks: Risk[] = [...failures.values()].map((truth) => {
      const daysLeft = (truth.failedAt - now) / dayMs;
      return {
        deviceId: truth.deviceId,
        model: truth.model,
        component: truth.component,
        failureMode: truth.failureMode,
        pFail: daysLeft <= 14 ? 0.9 : 0.05,
        daysLeft: daysLeft <= 14 ? daysLeft : null,
        horizonDays: 14,
        modelVersion: 'bench-test',
        scoredAt: now,
        dataUntil: now,
        drivers: [],
      };
    });
    const atRisk = risks.filter((r) => r.pFail > 0.5).length;
    expect(atRisk).toBeGreaterThan(0);
    expect(risks.length).toBeGreaterThan(atRisk);

    const report = await benchRiskHandling({
      specs: historySpecs(history),
      risks,
      now,
      logger: createLogger({ level: 'silent' }),
    });
    expect(report).toMatchObject({ devices: 60, risks: risks.length });
    expect(report.technicians).toBeGreaterThan(0);
    const planned = (o: Record<string, number>) =>
      (o['open/opened'] ?? 0) + (o['fold_into_amc_visit/folded'] ?? 0);
    // Every risk above the threshold got its predictive work, once; the low ones none.
    expect(planned(report.first.outcomes)).toBe(atRisk);
    expect(report.first.outcomes.none).toBe(risks.length - atRisk);
    expect(report.first.assigned).toBeGreaterThan(0);
    expect(planned(report.again.outcomes)).toBe(0);
    for (const round of [report.first, report.again]) {
      expect(round.failed).toBe(0);
      expect(round.risksPerS).toBeGreaterThan(0);
    }
    const rows = riskHandlingRows(report, 12.5);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.figure).toMatch(/risks\/s/);
    expect(rows[0]!.reference).toMatch(/^the scoring run that made them 12\.5 s/);
  }, 120_000);
});
