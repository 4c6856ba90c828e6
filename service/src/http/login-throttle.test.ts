import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';

function throttle(options: { max?: number; maxKeys?: number } = {}) {
  const time = { now: 1_000_000 };
  const limiter = new LoginThrottle({
    max: options.max ?? 3,
    timeWindowMs: 60_000,
    clock: () => time.now,
    ...(options.maxKeys === undefined ? {} : { maxKeys: options.maxKeys }),
  });
  /** An attempt that fails: answers whether it was let through. */
  const fail = (key = 'ip|a@example.com') => limiter.startAttempt(key).allowed;
  /** An attempt that succeeds when let through. */
  const succeed = (key = 'ip|a@example.com') => {
    const verdict = limiter.startAttempt(key);
    if (verdict.allowed) limiter.succeeded(key);
    return verdict.allowed;
  };
  return { time, limiter, fail, succeed };
}

describe('LoginThrottle', () => {
  it('stops a key after `max` failed attempts and says how long until its window ends', () => {
    const { time, limiter, fail } = throttle();
    expect([fail(), fail(), fail()]).toEqual([true, true, true]);
    time.now += 15_000;
    expect(limiter.startAttempt('ip|a@example.com')).toEqual({ allowed: false, retryAfterMs: 45_000 });
    expect(fail('ip|b@example.com')).toBe(true);
  });

  it('lets a key try again once its window has ended', () => {
    const { time, fail } = throttle();
    for (let i = 0; i < 4; i += 1) fail();
    time.now += 60_000;
    expect(fail()).toBe(true);
  });

  it('never counts successful logins: people who log in often are not locked out', () => {
    const { succeed } = throttle();
    for (let i = 0; i < 20; i += 1) expect(succeed()).toBe(true);
  });

  it('clears the failures of a key that then logs in correctly', () => {
    const { fail, succeed } = throttle();
    expect([fail(), fail(), succeed()]).toEqual([true, true, true]);
    expect([fail(), fail(), fail(), fail()]).toEqual([true, true, true, false]);
  });

  it('counts attempts still being checked, so guesses sent at once cannot all get through', () => {
    const { limiter } = throttle();
    const verdicts = Array.from({ length: 5 }, () => limiter.startAttempt('ip|a@example.com').allowed);
    expect(verdicts).toEqual([true, true, true, false, false]);
  });

  it('remembers at most `maxKeys` keys, forgetting ended windows first, then the oldest', () => {
    const { time, limiter, fail } = throttle({ max: 1, maxKeys: 2 });
    fail('a');
    time.now += 30_000;
    fail('b');
    // Full of live windows: 'a', the first to end, is forgotten and may try again.
    fail('c');
    expect(limiter.size).toBe(2);
    expect(fail('b')).toBe(false);
    time.now += 60_000;
    fail('d');
    expect(limiter.size).toBe(1);
  });
});
