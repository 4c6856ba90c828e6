import type { DeviceToScore } from './score-fleet.ts';

/**
 * Where scoring learns when each device was last serviced (a repair or maintenance visit that was
 * completed), for the "time since last service" feature. Training learns that feature from the
 * simulator's repairs; in the field it comes from the service records, through this port.
 */
export interface LastServiceSource {
  /**
   * Per device, epoch ms of its newest completed service at or before `asOf`. Devices never serviced
   * are absent (the feature then counts from the install date, as in training).
   */
  lastServiceAt(deviceIds: readonly string[], asOf: number): Promise<ReadonlyMap<string, number>>;
}

/**
 * The devices with `lastServiceAt` filled from `source`; a time the device list already carries is
 * kept when it is the later one. Recorded services after `asOf` are never used (they would leak the
 * future into a score as of `asOf`).
 */
export async function withLastService(
  devices: readonly DeviceToScore[],
  source: LastServiceSource,
  asOf: number,
): Promise<DeviceToScore[]> {
  const known = await source.lastServiceAt(
    devices.map((d) => d.deviceId),
    asOf,
  );
  return devices.map((device) => {
    const recorded = known.get(device.deviceId);
    if (recorded === undefined || recorded > asOf) return device;
    const own = device.lastServiceAt ?? null;
    return { ...device, lastServiceAt: own === null ? recorded : Math.max(own, recorded) };
  });
}
