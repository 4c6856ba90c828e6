import { describe, expect, it } from 'vitest';
import { deriveSeed, mulberry32, permutation, shuffleInPlace } from './random.ts';

describe('seed control', () => {
  it('mulberry32 repeats its stream for a seed and differs between seeds', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    for (const v of first) expect(v >= 0 && v < 1).toBe(true);
  });

  it('permutation holds every index once, and the same seed gives the same order', () => {
    const p = permutation(1000, mulberry32(3));
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect([...p]).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(permutation(1000, mulberry32(3))).toEqual(p);
  });

  it('shuffleInPlace keeps the items', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(shuffleInPlace([...items], mulberry32(1)).sort()).toEqual(items);
  });

  it('deriveSeed gives each stream of a run its own seed, stable across calls', () => {
    const seeds = ['member-1', 'member-2', 'member-1/split', 'member-1/init'].map((s) => deriveSeed(1, s));
    expect(new Set(seeds).size).toBe(4);
    expect(deriveSeed(1, 'member-1')).toBe(seeds[0]);
    expect(deriveSeed(2, 'member-1')).not.toBe(seeds[0]);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 31).toBe(true);
  });
});
