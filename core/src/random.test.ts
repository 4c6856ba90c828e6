import { describe, expect, it } from 'vitest';
import { hashString, mixSeed, Rng } from './random.ts';

describe('Rng', () => {
  it('keeps the sequences seeded fleets and demo worlds were built from', () => {
    const rng = new Rng(42);
    expect([rng.next(), rng.next(), rng.next()]).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099,
    ]);
    const gaussian = new Rng(42);
    expect([gaussian.normal(), gaussian.normal(), gaussian.poisson(3)]).toEqual([
      2.167890815820702, -1.1087661942454097, 4,
    ]);
    expect([mixSeed(1, 2), mixSeed(1_764_130_000_000), hashString('sim-ac-00001')]).toEqual([
      4090996933, 2397787788, 1088496347,
    ]);
  });

  it('repeats its sequence for a seed, and re-seeding starts it over', () => {
    const a = new Rng(7);
    const first = [a.next(), a.normal(), a.poisson(3)];
    expect([new Rng(7).next(), new Rng(7).next()]).toEqual([first[0], first[0]]);
    a.reseed(7);
    expect([a.next(), a.normal(), a.poisson(3)]).toEqual(first);
  });

  it('draws uniforms in [0, 1) and normals with the asked mean and spread', () => {
    const rng = new Rng(1);
    const u = Array.from({ length: 20_000 }, () => rng.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const n = Array.from({ length: 20_000 }, () => rng.normal(5, 2));
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    const sd = Math.sqrt(n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length);
    expect(mean).toBeCloseTo(5, 1);
    expect(sd).toBeCloseTo(2, 1);
    const p = Array.from({ length: 20_000 }, () => rng.poisson(2.5));
    expect(p.reduce((s, v) => s + v, 0) / p.length).toBeCloseTo(2.5, 1);
  });

  it('mixes seeds so that neighbouring inputs give unrelated seeds, including inputs beyond 32 bits', () => {
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    expect(mixSeed(1_764_130_000_000)).not.toBe(mixSeed(1_764_130_000_000 + 4_294_967_296));
    expect(hashString('sim-ac-00001')).not.toBe(hashString('sim-ac-00002'));
    const seeds = new Set(Array.from({ length: 10_000 }, (_, i) => mixSeed(42, i)));
    expect(seeds.size).toBe(10_000);
  });

  it('draws integers in a closed range, by weight, and shuffles without losing items', () => {
    const rng = new Rng(3);
    const ints = Array.from({ length: 2_000 }, () => rng.intBetween(2, 4));
    expect(new Set(ints)).toEqual(new Set([2, 3, 4]));
    const picks = Array.from({ length: 4_000 }, () =>
      rng.weighted([
        ['rare', 1],
        ['common', 3],
      ] as const),
    );
    expect(picks.filter((p) => p === 'common').length / picks.length).toBeCloseTo(0.75, 1);
    expect(rng.shuffled([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
