import { createLogger, type DeviceModel, deviceModels } from '@aftercare/core';
import { offsetPosition } from '../../src/automation/geo.ts';
import { chennaiMetro } from '../../src/automation/metro-region.ts';
import { createAmcScheduler } from '../../src/operations/amc-scheduler.ts';
import { type DemoFleetDevice, seedDemoWorld } from '../../src/operations/demo-seed.ts';
import { type ServiceHarness, startService } from './harness.ts';

/**
 * The demo world for the planning API's tests: a simulated fleet laid out on the Chennai disc, the
 * service network, stock and contracts `seedDemoWorld` writes around it, and the AMC job run once so
 * that visit tickets are booked onto technicians' days, as a first `pnpm start` leaves it.
 */

export const planningNow = Date.UTC(2026, 10, 25, 3, 30);
const day = 86_400_000;
export const demoPassword = 'demo password for the tests';

export function aFleet(count: number): DemoFleetDevice[] {
  return Array.from({ length: count }, (_, i) => {
    const model: DeviceModel = deviceModels[i % deviceModels.length]!;
    return {
      id: `sim-${model.slice(0, 2)}-${String(i + 1).padStart(5, '0')}`,
      model,
      position: offsetPosition(
        chennaiMetro.center,
        1 + (Math.floor(i / 2) * 17) / count + (i % 2) * 0.3,
        i * 2.4,
      ),
      installedAt: planningNow - (60 + ((i * 37) % 700)) * day,
      serial: `SN-${i + 1}`,
    };
  });
}

export interface PlanningWorld {
  service: ServiceHarness;
  fleet: DemoFleetDevice[];
  customerId: string;
  technicianId: string;
}

export async function startPlanningWorld(devices = 60): Promise<PlanningWorld> {
  const service = await startService({ clock: () => planningNow });
  const fleet = aFleet(devices);
  for (const d of fleet) {
    await service.repos.devices.provision({
      id: d.id,
      model: d.model,
      location: d.position,
      installedAt: new Date(d.installedAt).toISOString(),
    });
  }
  const logger = createLogger({ level: 'silent' });
  const seeded = await seedDemoWorld({
    repositories: service.repos,
    devices: fleet,
    seed: 7,
    now: planningNow,
    demoPassword,
    logger,
  });
  const amc = createAmcScheduler({ repositories: service.repos, logger, clock: () => planningNow });
  await amc.runOnce(planningNow);
  return { service, fleet, customerId: seeded.customerId!, technicianId: seeded.technicianId! };
}

/** YYYY-MM-DD of an instant in India (the demo region's zone, UTC+05:30). */
export function indiaDate(ts: number): string {
  return new Date(ts + 330 * 60_000).toISOString().slice(0, 10);
}
