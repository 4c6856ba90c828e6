import { describe, expect, it } from 'vitest';
import { PlateauSchedule } from './lr-schedule.ts';

describe('PlateauSchedule', () => {
  it('keeps the rate while validation loss improves', () => {
    const s = new PlateauSchedule(0.01, { factor: 0.5, patience: 2, minLearningRate: 1e-4 });
    expect([1, 0.9, 0.8, 0.7].map((l) => s.step(l))).toEqual([0.01, 0.01, 0.01, 0.01]);
  });

  it('halves the rate after `patience` epochs without improvement, then waits again', () => {
    const s = new PlateauSchedule(0.01, { factor: 0.5, patience: 2, minLearningRate: 1e-4 });
    expect([1, 1, 1, 1, 1].map((l) => s.step(l))).toEqual([0.01, 0.01, 0.005, 0.005, 0.0025]);
  });

  it('counts an improvement smaller than minRelativeDelta as none, and never goes below the floor', () => {
    const s = new PlateauSchedule(0.01, {
      factor: 0.1,
      patience: 1,
      minLearningRate: 0.0005,
      minRelativeDelta: 0.01,
    });
    s.step(1);
    expect(s.step(0.995)).toBeCloseTo(0.001, 12);
    expect(s.step(0.995)).toBe(0.0005);
    expect(s.step(0.5)).toBe(0.0005);
  });

  it('rejects a factor outside (0, 1)', () => {
    expect(() => new PlateauSchedule(0.01, { factor: 1, patience: 1, minLearningRate: 0 })).toThrow(/factor/);
  });
});
