import { areaOf, deviceIdSchema, provisionDeviceBodySchema } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { assignModels, createFleet, fleetSpecs } from './fleet.ts';
import { provisionBody } from './provisioning/provision-devices.ts';
import { DAY_MS, defaultRegion, HOUR_MS, YEAR_MS } from './region.ts';

const start = Date.UTC(2025, 5, 1);

function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = (a.lat - b.lat) * 111.32;
  const dLon = (a.lon - b.lon) * 111.32 * Math.cos((b.lat * Math.PI) / 180);
  return Math.hypot(dLat, dLon);
}

describe('fleetSpecs', () => {
  it('gives every device a unique valid id, a serial, a place in the metro region and an install date before the start', () => {
    const specs = fleetSpecs({ seed: 4, devices: 500, start });
    expect(new Set(specs.map((s) => s.id)).size).toBe(500);
    expect(new Set(specs.map((s) => s.serial)).size).toBe(500);
    for (const spec of specs) {
      expect(deviceIdSchema.safeParse(spec.id).success).toBe(true);
      expect(distanceKm(spec.location, defaultRegion.center)).toBeLessThanOrEqual(
        defaultRegion.radiusKm + 0.01,
      );
      expect(spec.installedAt).toBeLessThan(start);
      expect(spec.installedAt).toBeGreaterThan(start - 5 * YEAR_MS - DAY_MS);
    }
  });

  it("writes each device's address in the area it stands in, so a site's address and its map pin agree", () => {
    const specs = fleetSpecs({ seed: 4, devices: 200, start });
    for (const spec of specs) {
      const [, area, city] = spec.location.address!.split(', ');
      expect(area).toBe(areaOf(defaultRegion, spec.location));
      expect(city).toBe(defaultRegion.name);
    }
    // The fleet is spread over the metro's localities, not heaped on a few.
    expect(new Set(specs.map((s) => s.location.address!.split(', ')[1])).size).toBeGreaterThanOrEqual(
      defaultRegion.areas.length - 3,
    );
  });

  it('is the same fleet for the same seed', () => {
    expect(fleetSpecs({ seed: 4, devices: 20, start })).toEqual(fleetSpecs({ seed: 4, devices: 20, start }));
    expect(fleetSpecs({ seed: 5, devices: 20, start })).not.toEqual(
      fleetSpecs({ seed: 4, devices: 20, start }),
    );
  });

  it('spreads the models by their shares, interleaved, and a fleet of four has one of each', () => {
    expect(
      new Set(
        assignModels(4, {
          'split-ac': 0.35,
          refrigerator: 0.25,
          'water-purifier': 0.2,
          'washing-machine': 0.2,
        }),
      ).size,
    ).toBe(4);
    const mix = assignModels(100, { 'split-ac': 3, refrigerator: 1 });
    expect(mix.filter((m) => m === 'split-ac')).toHaveLength(75);
    expect(mix.slice(0, 4).filter((m) => m === 'refrigerator')).toHaveLength(1);
    expect(() => assignModels(3, {})).toThrow(/no model/);
  });

  it('names devices with the prefix and a model code, e.g. sim-ac-00001', () => {
    const [first] = fleetSpecs({ seed: 1, devices: 1, start, models: { 'split-ac': 1 } });
    expect(first!.id).toBe('sim-ac-00001');
    const [other] = fleetSpecs({
      seed: 1,
      devices: 1,
      start,
      models: { refrigerator: 1 },
      idPrefix: 'demo-',
    });
    expect(other!.id).toBe('demo-rf-00001');
  });

  it('gives the provisioning API bodies it accepts', () => {
    for (const spec of fleetSpecs({ seed: 2, devices: 40, start })) {
      const parsed = provisionDeviceBodySchema.safeParse(provisionBody(spec));
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
  });
});

describe('Fleet', () => {
  it('steps every device at a timestamp and counts the failures injected', () => {
    const fleet = createFleet({ seed: 6, devices: 30, start, failureRate: 20, intervalMs: HOUR_MS });
    let ticks = 0;
    let truth = 0;
    for (let ts = start + HOUR_MS; ts <= start + 60 * DAY_MS; ts += HOUR_MS) {
      for (const tick of fleet.sampleAt(ts)) {
        ticks++;
        truth += tick.groundTruth.length;
      }
    }
    expect(ticks).toBe(30 * 60 * 24);
    expect(truth).toBeGreaterThan(0);
    expect(fleet.failuresInjected).toBe(truth);
  });

  it('repairs and commands devices by id, and says so when an id is unknown', () => {
    const fleet = createFleet({ seed: 6, devices: 4, start });
    const id = fleet.specs[0]!.id;
    expect(fleet.repair(id, start).deviceId).toBe(id);
    expect(fleet.command(id, { commandId: 'x', command: 'ping', ts: start }, start).answer.code).toBe('ok');
    expect(() => fleet.repair('nope', start)).toThrow(/no simulated device nope/);
  });
});
