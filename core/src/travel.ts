/**
 * Distances and travel times between places in a metro: straight-line (haversine) distance stretched
 * by a road factor, driven at an urban average speed. Good enough to plan a technician's day and to
 * say whether they can get from one visit to the next; it needs no road data. The planners in
 * `service` and the console's booking form read the same figures.
 */

/** A point on the map, in decimal degrees. */
export interface Position {
  lat: number;
  lon: number;
}

/** Mean Earth radius (IUGG), km. */
export const EARTH_RADIUS_KM = 6371.0088;
/** Road distance ÷ straight-line distance in a dense metro; 1.3 is the usual urban detour. */
export const ROAD_FACTOR = 1.3;
/** Average door-to-door speed of a service van in city traffic, km/h. */
export const URBAN_SPEED_KMH = 30;

const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Great-circle distance between two positions, km. */
export function haversineKm(a: Position, b: Position): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Estimated road distance, km: haversine × ROAD_FACTOR. */
export function roadKm(a: Position, b: Position): number {
  return haversineKm(a, b) * ROAD_FACTOR;
}

/** Minutes to drive `km` of road at URBAN_SPEED_KMH. */
export function driveMinutes(km: number): number {
  return (km / URBAN_SPEED_KMH) * 60;
}
