import { type Device, NotFoundError } from '@aftercare/core';
import { customerScope, type Principal } from '../principal.ts';
import type { DeviceRegistry } from '../repositories/device-registry.ts';

/**
 * The device, if this principal may see it. Another customer's device is "not found", exactly as a
 * missing one, so that ids cannot be probed.
 */
export async function findVisibleDevice(
  registry: DeviceRegistry,
  principal: Principal,
  id: string,
): Promise<Device> {
  const device = await registry.get(id);
  const scope = customerScope(principal);
  if (device === null || (scope !== undefined && device.customerId !== scope))
    throw new NotFoundError('device', id);
  return device;
}
