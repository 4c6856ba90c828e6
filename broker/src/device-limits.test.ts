import { describe, expect, it } from 'vitest';
import { DeviceLimits, type DeviceLimitsOptions } from './device-limits.ts';

function limits(overrides: Partial<DeviceLimitsOptions> = {}) {
  let now = 0;
  const subject = new DeviceLimits({
    msgsPerSecond: 10,
    burst: 20,
    maxDelayMs: 2000,
    connectsPerMinute: 3,
    maxTracked: 1000,
    now: () => now,
    ...overrides,
  });
  return { subject, advance: (ms: number) => (now += ms) };
}

describe('DeviceLimits.reservePublish', () => {
  it('lets a quiet device send its burst at once', () => {
    const { subject } = limits();
    const waits = Array.from({ length: 20 }, () => subject.reservePublish('ac-0001'));
    expect(waits.every((w) => w === 0)).toBe(true);
  });

  it('spaces publishes beyond the burst at the sustained rate', () => {
    const { subject } = limits();
    for (let i = 0; i < 20; i++) subject.reservePublish('ac-0001');
    expect(subject.reservePublish('ac-0001')).toBeCloseTo(100);
    expect(subject.reservePublish('ac-0001')).toBeCloseTo(200);
    expect(subject.reservePublish('ac-0001')).toBeCloseTo(300);
  });

  it('refuses a publish that would wait longer than the maximum delay', () => {
    const { subject } = limits();
    const waits = Array.from({ length: 41 }, () => subject.reservePublish('ac-0001'));
    expect(waits[39]).toBeCloseTo(2000);
    expect(waits[40]).toBeNull();
  });

  it('refills with time and keeps each device to its own budget', () => {
    const { subject, advance } = limits();
    for (let i = 0; i < 20; i++) subject.reservePublish('ac-0001');
    expect(subject.reservePublish('ac-0002')).toBe(0);
    advance(1000);
    const waits = Array.from({ length: 10 }, () => subject.reservePublish('ac-0001'));
    expect(waits.every((w) => w === 0)).toBe(true);
  });
});

describe('DeviceLimits.allowConnect', () => {
  it('allows the configured CONNECTs per minute and then refuses until the window moves on', () => {
    const { subject, advance } = limits();
    expect([1, 2, 3, 4].map(() => subject.allowConnect('ac-0001'))).toEqual([true, true, true, false]);
    expect(subject.allowConnect('ac-0002')).toBe(true);
    advance(60_000);
    expect(subject.allowConnect('ac-0001')).toBe(true);
  });
});

describe('DeviceLimits memory', () => {
  it('forgets devices that have been idle long enough to carry no state', () => {
    const { subject, advance } = limits();
    subject.reservePublish('ac-0001');
    subject.allowConnect('ac-0002');
    expect(subject.sweep()).toBe(2);
    advance(1000);
    expect(subject.sweep()).toBe(1); // ac-0001 refilled; ac-0002's CONNECT is still in its minute
    advance(60_000);
    expect(subject.sweep()).toBe(0);
  });

  it('never tracks more devices than its bound, even when all of them are busy', () => {
    const { subject } = limits({ maxTracked: 100 });
    for (let i = 0; i < 1000; i++) subject.allowConnect(`dev-${i}`);
    expect(subject.size).toBeLessThanOrEqual(100);
  });
});
