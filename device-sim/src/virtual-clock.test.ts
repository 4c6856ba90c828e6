import { describe, expect, it } from 'vitest';
import { VirtualClock } from './virtual-clock.ts';

describe('VirtualClock', () => {
  it('runs speed times faster than real time from its start', () => {
    let real = 1_000_000;
    const clock = new VirtualClock(500_000, 60, false, () => real);
    real += 1000;
    expect(clock.now()).toBe(560_000);
    expect(clock.catchesUpAt()).toBeNull();
  });

  it('never passes the wall clock unless told to: a past start catches up, then runs in real time', () => {
    let real = 1_000_000;
    const clock = new VirtualClock(real - 59_000, 60, true, () => real);
    expect(clock.catchesUpAt()).toBe(1_001_000);
    real += 500;
    expect(clock.now()).toBe(1_000_000 - 59_000 + 30_000);
    real += 10_000;
    expect(clock.now()).toBe(real);
  });
});
