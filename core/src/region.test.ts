import { describe, expect, it } from 'vitest';
import { Rng } from './random.ts';
import { areaOf, chennaiMetro, offsetPosition, randomPointInDisc } from './region.ts';

const distanceKm = (a: { lat: number; lon: number }, b: { lat: number; lon: number }): number =>
  Math.hypot((a.lat - b.lat) * 111.32, (a.lon - b.lon) * 111.32 * Math.cos((b.lat * Math.PI) / 180));

describe('metro region', () => {
  it('places random points on the disc around the centre, in every area', () => {
    const rng = new Rng(11);
    const points = Array.from({ length: 2_000 }, () =>
      randomPointInDisc(rng, chennaiMetro.center, chennaiMetro.radiusKm),
    );
    for (const p of points)
      expect(distanceKm(p, chennaiMetro.center)).toBeLessThanOrEqual(chennaiMetro.radiusKm + 0.01);
    expect(new Set(points.map((p) => areaOf(chennaiMetro, p)))).toEqual(new Set(chennaiMetro.areas));
  });

  it('names areas clockwise from north', () => {
    const north = offsetPosition(chennaiMetro.center, 5, 0.01);
    const west = offsetPosition(chennaiMetro.center, 5, 1.5 * Math.PI + 0.01);
    expect(areaOf(chennaiMetro, north)).toBe(chennaiMetro.areas[0]);
    expect(chennaiMetro.areas.indexOf(areaOf(chennaiMetro, west))).toBeGreaterThan(
      chennaiMetro.areas.length / 2,
    );
  });
});
