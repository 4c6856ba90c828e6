import type { DeviceSpec } from '@aftercare/device-sim';
import type { DemoFleetDevice, ServiceRepositories } from '@aftercare/service';

/** The simulated fleet as the demo world is seeded around it. */
export function demoFleetDevices(specs: readonly DeviceSpec[]): DemoFleetDevice[] {
  return specs.map((s) => ({
    id: s.id,
    model: s.model,
    position: { lat: s.location.lat, lon: s.location.lon },
    installedAt: s.installedAt,
    serial: s.serial,
  }));
}

/** Registers the simulated devices with the service (no MQTT secret: they are not connected). */
export async function registerFleet(repositories: ServiceRepositories, specs: readonly DeviceSpec[]) {
  for (const spec of specs)
    await repositories.devices.provision({
      id: spec.id,
      model: spec.model,
      serial: spec.serial,
      location: { lat: spec.location.lat, lon: spec.location.lon },
      installedAt: new Date(spec.installedAt).toISOString(),
    });
}
