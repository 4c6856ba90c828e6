import type { Rng } from './random.ts';
import type { GeoPoint } from './service/common.schema.ts';

/**
 * A metro region: where a fleet lives and a service network works. The simulator places its devices on
 * the region's disc and the service's generators its partners, sites and jobs, so the two agree on it.
 */
export interface MetroRegion {
  name: string;
  center: GeoPoint;
  radiusKm: number;
  /** Local time offset from UTC; daily cycles, working hours and days follow local time. */
  utcOffsetMin: number;
  areas: readonly string[];
}

/**
 * A hot coastal metro where air conditioners run most of the year, so the demo fleet shows its daily
 * cycles in every season: the simulator's default region and the demo service network's.
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

/**
 * A position `km` away from `from` on a compass `bearingRad` (0 = north), flat-earth (fine under
 * ~50 km), rounded to 5 decimals (about a metre).
 */
export function offsetPosition(from: GeoPoint, km: number, bearingRad: number): GeoPoint {
  const lat = from.lat + (km * Math.cos(bearingRad)) / 111.32;
  const lon = from.lon + (km * Math.sin(bearingRad)) / (111.32 * Math.cos((from.lat * Math.PI) / 180));
  return { lat: Math.round(lat * 1e5) / 1e5, lon: Math.round(lon * 1e5) / 1e5 };
}

/**
 * A point uniform over the disc of `radiusKm` around `center` (the square root keeps the centre from
 * being crowded). Draws twice: the distance, then the bearing.
 */
export function randomPointInDisc(rng: Rng, center: GeoPoint, radiusKm: number): GeoPoint {
  return offsetPosition(center, radiusKm * Math.sqrt(rng.next()), rng.uniform(0, 2 * Math.PI));
}

/** The region's area a position falls in: the areas share the compass around the centre, clockwise from north. */
export function areaOf(region: MetroRegion, p: GeoPoint): string {
  const angle = Math.atan2(p.lon - region.center.lon, p.lat - region.center.lat);
  const share = ((angle + 2 * Math.PI) % (2 * Math.PI)) / (2 * Math.PI);
  return region.areas[Math.floor(share * region.areas.length) % region.areas.length]!;
}
