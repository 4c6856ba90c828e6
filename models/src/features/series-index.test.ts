import { describe, expect, it } from 'vitest';
import { SeriesIndex } from './series-index.ts';

/** A deterministic series with gaps. */
const values = Array.from({ length: 500 }, (_, i) =>
  i % 7 === 3 ? null : Math.round(Math.sin(i * 1.7) * 1000) / 10,
);

function brute(lo: number, hi: number) {
  const present = values.slice(lo, hi).filter((v): v is number => v !== null);
  const mean = present.reduce((a, b) => a + b, 0) / present.length;
  return { count: present.length, mean, min: Math.min(...present), max: Math.max(...present) };
}

describe('SeriesIndex', () => {
  it('answers every range like a scan of its values would, before and after it builds its tables', () => {
    const index = new SeriesIndex(values, 200);
    // The first queries scan; later ones read the sparse tables (including ranges longer than they cover).
    for (let k = 0; k < 60; k++) {
      const lo = (k * 37) % 300;
      const hi = Math.min(values.length, lo + 1 + ((k * 53) % 199) + (k % 10 === 0 ? 150 : 0));
      const s = index.stats(lo, hi);
      const b = brute(lo, hi);
      expect(s.count).toBe(b.count);
      expect(s.mean).toBeCloseTo(b.mean, 9);
      expect(index.mean(lo, hi)).toBeCloseTo(b.mean, 9);
      expect([s.min, s.max]).toEqual([b.min, b.max]);
    }
  });

  it('gives an empty range no statistics rather than zeros', () => {
    const index = new SeriesIndex([null, null, 1], 4);
    expect(index.stats(0, 2)).toMatchObject({ count: 0, mean: Number.NaN, min: Number.NaN });
    expect(index.stats(2, 3)).toMatchObject({ count: 1, mean: 1, std: Number.NaN, min: 1, max: 1 });
  });
});
