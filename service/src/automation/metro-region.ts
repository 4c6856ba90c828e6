import type { Position } from './geo.ts';
import { offsetPosition } from './geo.ts';
import type { SeededRandom } from './seeded-random.ts';

/** The metro a service network works in. */
export interface MetroRegion {
  name: string;
  center: Position;
  radiusKm: number;
  /** Local time offset from UTC; working hours and days are local. */
  utcOffsetMin: number;
  areas: readonly string[];
}

/**
 * The simulator's default region (device-sim's `defaultRegion`), restated because the service may not
 * import the simulator: the demo fleet's devices lie on this disc.
 */
export const chennaiMetro: MetroRegion = {
  name: 'Chennai',
  center: { lat: 13.0827, lon: 80.2707 },
  radiusKm: 22,
  utcOffsetMin: 330,
  areas: [
    'Adyar',
    'Anna Nagar',
    'T. Nagar',
    'Velachery',
    'Mylapore',
    'Tambaram',
    'Porur',
    'Guindy',
    'Perambur',
    'Chromepet',
    'Nungambakkam',
    'Besant Nagar',
    'Sholinganallur',
    'Kodambakkam',
    'Ambattur',
  ],
};

/** A point uniform over the disc of `radiusKm` around `center` (the square root keeps the centre sparse). */
export function randomPointInDisc(rng: SeededRandom, center: Position, radiusKm: number): Position {
  return offsetPosition(center, radiusKm * Math.sqrt(rng.next()), rng.uniform(0, 2 * Math.PI));
}

/** The region's area a position falls in: the areas share the compass around the centre, clockwise from north. */
export function areaOf(region: MetroRegion, p: Position): string {
  const angle = Math.atan2(p.lon - region.center.lon, p.lat - region.center.lat);
  const share = ((angle + 2 * Math.PI) % (2 * Math.PI)) / (2 * Math.PI);
  return region.areas[Math.floor(share * region.areas.length) % region.areas.length]!;
}
