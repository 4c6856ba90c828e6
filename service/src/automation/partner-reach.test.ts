import { describe, expect, it } from 'vitest';
import { reachOf, servicingPartner } from './partner-reach.ts';

// Chennai: Adyar centre (small reach) is nearer the site than the Egmore centre (wide reach).
const adyar = reachOf({ id: 'adyar', lat: 13.0, lon: 80.25, coverageRadiusKm: 3 });
const egmore = reachOf({ id: 'egmore', lat: 13.08, lon: 80.26, coverageRadiusKm: 25 });

describe('the partner that services a site', () => {
  it('is the nearest partner whose coverage reaches the site', () => {
    expect(servicingPartner([egmore, adyar], { lat: 13.01, lon: 80.25 })).toBe('adyar');
  });

  it('passes over a nearer partner that does not reach that far', () => {
    // About 5.5 km from Adyar (reach 3 km), 12 km from Egmore (reach 25 km).
    expect(servicingPartner([adyar, egmore], { lat: 12.97, lon: 80.21 })).toBe('egmore');
  });

  it('falls back to the nearest when no coverage reaches the site', () => {
    expect(servicingPartner([adyar, egmore], { lat: 12.6, lon: 80.2 })).toBe('adyar');
  });
});
