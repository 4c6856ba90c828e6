/**
 * Distances and travel times for planning. Straight-line (haversine) distance stretched by a road
 * factor, driven at an urban average speed: good enough to compare plans, and needing no road data.
 */

/** Shared with the simulator (core); re-exported for the planning code that imports it with the distances. */
/** The distances and the drive times themselves are core's, which the console reads too. */
export {
  driveMinutes,
  EARTH_RADIUS_KM,
  haversineKm,
  offsetPosition,
  type Position,
  ROAD_FACTOR,
  roadKm,
  URBAN_SPEED_KMH,
} from '@aftercare/core';
