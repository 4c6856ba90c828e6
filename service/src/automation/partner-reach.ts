import { haversineKm, type Position } from './geo.ts';
import type { ServicePartner } from './service-network.ts';

/**
 * Which partner services a site. One rule for the whole platform: the AMC schedule gives a site's
 * visits to that partner, and the insights count a partner's fleet by it.
 */

/** What says which partner services a site: where each partner is and how far it reaches. */
export type PartnerReach = Pick<ServicePartner, 'id' | 'position' | 'coverageRadiusKm'>;

/** A partner's reach from its stored record (latitude, longitude, coverage radius). */
export const reachOf = (p: {
  id: string;
  lat: number;
  lon: number;
  coverageRadiusKm: number;
}): PartnerReach => ({
  id: p.id,
  position: { lat: p.lat, lon: p.lon },
  coverageRadiusKm: p.coverageRadiusKm,
});

/** The partner that services a site: the nearest whose coverage reaches it, else the nearest. */
export function servicingPartner(partners: readonly PartnerReach[], p: Position): string {
  const byDistance = [...partners].sort((a, b) => haversineKm(a.position, p) - haversineKm(b.position, p));
  return (byDistance.find((x) => haversineKm(x.position, p) <= x.coverageRadiusKm) ?? byDistance[0]!).id;
}
