import { describe, expect, it } from 'vitest';
import { type ActiveContract, decideCoverage, slaDueAt } from './coverage.ts';

const day = 86_400_000;
const now = Date.UTC(2026, 5, 1);
const amc: ActiveContract = { id: 'c1', slaResponseHours: 24, coversLabour: true, coversParts: true };

describe('decideCoverage', () => {
  it('is in warranty up to and including the warranty end', () => {
    const base = { now, installedAt: now - 300 * day, contract: null };
    expect(decideCoverage({ ...base, warrantyEndsAt: now }).coverage).toBe('in_warranty');
    expect(decideCoverage({ ...base, warrantyEndsAt: now - 1 }).coverage).toBe('chargeable');
  });

  it('prefers the warranty over a contract but records the contract for its SLA', () => {
    expect(decideCoverage({ now, installedAt: null, warrantyEndsAt: now + day, contract: amc })).toEqual({
      coverage: 'in_warranty',
      contractId: 'c1',
    });
  });

  it("puts an AMC visit on its contract even inside the warranty: routine service is not the manufacturer's", () => {
    const inWarranty = { now, installedAt: now - 100 * day, warrantyEndsAt: now + 265 * day, contract: amc };
    expect(decideCoverage({ ...inWarranty, kind: 'amc_visit' })).toEqual({
      coverage: 'amc',
      contractId: 'c1',
    });
    expect(decideCoverage({ ...inWarranty, kind: 'predictive' }).coverage).toBe('in_warranty');
  });

  it('is AMC-covered after the warranty when a contract covers labour or parts', () => {
    const base = { now, installedAt: now - 900 * day, warrantyEndsAt: now - 100 * day };
    expect(decideCoverage({ ...base, contract: amc })).toEqual({ coverage: 'amc', contractId: 'c1' });
    expect(decideCoverage({ ...base, contract: { ...amc, coversLabour: false } }).coverage).toBe('amc');
    expect(
      decideCoverage({ ...base, contract: { ...amc, coversLabour: false, coversParts: false } }),
    ).toEqual({
      coverage: 'chargeable',
      contractId: 'c1',
    });
  });

  it('does not count a warranty for a device installed in the future', () => {
    expect(
      decideCoverage({ now, installedAt: now + day, warrantyEndsAt: now + 365 * day, contract: null })
        .coverage,
    ).toBe('chargeable');
  });
});

describe('slaDueAt', () => {
  it("takes the contract's response time when it is the tighter one", () => {
    expect(slaDueAt(now, 'normal', amc)).toBe(now + 24 * 3_600_000);
    expect(slaDueAt(now, 'normal', { ...amc, slaResponseHours: 96 })).toBe(now + 72 * 3_600_000);
    expect(slaDueAt(now, 'low', null)).toBe(now + 120 * 3_600_000);
  });
});
