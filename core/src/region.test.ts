import { describe, expect, it } from 'vitest';
import { Rng } from './random.ts';
import { areaOf, chennaiMetro, onLand, randomPointInDisc } from './region.ts';

const distanceKm = (a: { lat: number; lon: number }, b: { lat: number; lon: number }): number =>
  Math.hypot((a.lat - b.lat) * 111.32, (a.lon - b.lon) * 111.32 * Math.cos((b.lat * Math.PI) / 180));

describe('metro region', () => {
  it('places random points on the disc around the centre', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 2_000; i++) {
      const p = randomPointInDisc(rng, chennaiMetro.center, chennaiMetro.radiusKm);
      expect(distanceKm(p, chennaiMetro.center)).toBeLessThanOrEqual(chennaiMetro.radiusKm + 0.01);
    }
  });

  it('keeps places on land: a point in the Bay of Bengal is mirrored inland, one on land stays', () => {
    // Off the Marina, 10 km out to sea; and the Chennai Central station, inland.
    const atSea = { lat: 13.05, lon: 80.376 };
    expect(onLand(chennaiMetro, atSea)).toEqual({ lat: 13.05, lon: 80.192 });
    const central = { lat: 13.0827, lon: 80.2707 };
    expect(onLand(chennaiMetro, central)).toBe(central);
    const rng = new Rng(11);
    const east = Array.from({ length: 500 }, () =>
      onLand(chennaiMetro, randomPointInDisc(rng, chennaiMetro.center, chennaiMetro.radiusKm)),
    );
    for (const p of east) {
      expect(p.lon).toBeLessThanOrEqual(80.34);
      expect(distanceKm(p, chennaiMetro.center)).toBeLessThanOrEqual(chennaiMetro.radiusKm + 0.01);
    }
  });

  it('names a place after the nearest locality, so an address and its map pin agree', () => {
    expect(areaOf(chennaiMetro, { lat: 12.98, lon: 80.22 })).toBe('Velachery');
    expect(areaOf(chennaiMetro, { lat: 13.12, lon: 80.235 })).toBe('Perambur');
    expect(areaOf(chennaiMetro, { lat: 12.92, lon: 80.1 })).toBe('Tambaram');
    // A fleet on land is spread over the localities, not heaped on a few.
    const rng = new Rng(11);
    const counts = new Map<string, number>();
    for (let i = 0; i < 4_000; i++) {
      const p = onLand(chennaiMetro, randomPointInDisc(rng, chennaiMetro.center, chennaiMetro.radiusKm));
      counts.set(areaOf(chennaiMetro, p), (counts.get(areaOf(chennaiMetro, p)) ?? 0) + 1);
    }
    expect(counts.size).toBeGreaterThanOrEqual(chennaiMetro.areas.length - 2);
    expect(Math.max(...counts.values()) / 4_000).toBeLessThan(0.15);
  });
});
