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
  /** Localities, each where it really is: a position is named after the nearest. */
  areas: readonly MetroArea[];
  /**
   * Where the land ends to the east, as points from south to north (a coastal city): nothing is placed
   * east of it. Absent: the whole disc is land.
   */
  coast?: readonly GeoPoint[];
}

export interface MetroArea {
  name: string;
  center: GeoPoint;
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
  // Approximate centres of real localities, so that an address names the part of the city it is in.
  areas: [
    { name: 'Egmore', center: { lat: 13.0732, lon: 80.2609 } },
    { name: 'Perambur', center: { lat: 13.121, lon: 80.2329 } },
    { name: 'Royapuram', center: { lat: 13.1137, lon: 80.2954 } },
    { name: 'Tiruvottiyur', center: { lat: 13.1643, lon: 80.3004 } },
    { name: 'Madhavaram', center: { lat: 13.1482, lon: 80.2306 } },
    { name: 'Red Hills', center: { lat: 13.1865, lon: 80.1999 } },
    { name: 'Ambattur', center: { lat: 13.1143, lon: 80.1548 } },
    { name: 'Avadi', center: { lat: 13.1067, lon: 80.097 } },
    { name: 'Anna Nagar', center: { lat: 13.085, lon: 80.2101 } },
    { name: 'Nungambakkam', center: { lat: 13.0569, lon: 80.2425 } },
    { name: 'Kodambakkam', center: { lat: 13.0524, lon: 80.2255 } },
    { name: 'Porur', center: { lat: 13.0382, lon: 80.1565 } },
    { name: 'T. Nagar', center: { lat: 13.0418, lon: 80.2341 } },
    { name: 'Mylapore', center: { lat: 13.0368, lon: 80.2676 } },
    { name: 'Guindy', center: { lat: 13.0067, lon: 80.2206 } },
    { name: 'Adyar', center: { lat: 13.0012, lon: 80.2565 } },
    { name: 'Velachery', center: { lat: 12.9815, lon: 80.218 } },
    { name: 'Perungudi', center: { lat: 12.9654, lon: 80.2461 } },
    { name: 'Chromepet', center: { lat: 12.9516, lon: 80.1462 } },
    { name: 'Tambaram', center: { lat: 12.9249, lon: 80.1 } },
    { name: 'Sholinganallur', center: { lat: 12.901, lon: 80.2279 } },
  ],
  // The Bay of Bengal shore, roughly, from Kovalam in the south to Ennore in the north.
  coast: [
    { lat: 12.78, lon: 80.252 },
    { lat: 12.9, lon: 80.257 },
    { lat: 12.98, lon: 80.265 },
    { lat: 13.05, lon: 80.284 },
    { lat: 13.1, lon: 80.297 },
    { lat: 13.16, lon: 80.306 },
    { lat: 13.23, lon: 80.323 },
    { lat: 13.3, lon: 80.335 },
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

/** The locality a position is in: the region's area whose centre is nearest (flat-earth, as above). */
export function areaOf(region: MetroRegion, p: GeoPoint): string {
  const kmPerLon = Math.cos((region.center.lat * Math.PI) / 180);
  let nearest = region.areas[0]!;
  let best = Number.POSITIVE_INFINITY;
  for (const area of region.areas) {
    const d = (area.center.lat - p.lat) ** 2 + ((area.center.lon - p.lon) * kmPerLon) ** 2;
    if (d < best) {
      best = d;
      nearest = area;
    }
  }
  return nearest.name;
}

/** The coast's longitude at a latitude, interpolated (held flat beyond its ends). */
function coastLonAt(coast: readonly GeoPoint[], lat: number): number {
  if (lat <= coast[0]!.lat) return coast[0]!.lon;
  for (let i = 1; i < coast.length; i++) {
    const a = coast[i - 1]!;
    const b = coast[i]!;
    if (lat <= b.lat) return a.lon + ((b.lon - a.lon) * (lat - a.lat)) / (b.lat - a.lat);
  }
  return coast[coast.length - 1]!.lon;
}

/**
 * A position on the region's land: one that fell in the sea is mirrored across the coast, as far
 * inland as it was out at sea (and kept inside the region). It draws nothing, so every later random
 * draw stays as it was.
 */
export function onLand(region: MetroRegion, p: GeoPoint): GeoPoint {
  if (!region.coast || region.coast.length === 0) return p;
  const coastLon = coastLonAt(region.coast, p.lat);
  if (p.lon <= coastLon) return p;
  const mirrored = { lat: p.lat, lon: 2 * coastLon - p.lon };
  // Mirrored past the region's edge (where the coast bends far from the centre): brought back onto it.
  const kmPerLon = 111.32 * Math.cos((region.center.lat * Math.PI) / 180);
  const north = (mirrored.lat - region.center.lat) * 111.32;
  const east = (mirrored.lon - region.center.lon) * kmPerLon;
  const km = Math.hypot(north, east);
  const scale = km > region.radiusKm ? region.radiusKm / km : 1;
  return {
    lat: Math.round((region.center.lat + (north * scale) / 111.32) * 1e5) / 1e5,
    lon: Math.round((region.center.lon + (east * scale) / kmPerLon) * 1e5) / 1e5,
  };
}
