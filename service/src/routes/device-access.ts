import { NotFoundError, type ServiceDevice } from '@aftercare/core';
import { customerScope, type Principal, technicianScope } from '../principal.ts';
import type { DeviceRegistry } from '../repositories/device-registry.ts';

/**
 * The device, if this principal may see it: a customer its own devices, a technician the devices of
 * jobs assigned to it. Anything else is "not found", exactly as a missing device, so that ids cannot
 * be probed.
 */
export async function findVisibleDevice(
  registry: DeviceRegistry,
  principal: Principal,
  id: string,
): Promise<ServiceDevice> {
  const device = await registry.get(id);
  const scope = customerScope(principal);
  const technician = technicianScope(principal);
  if (
    device === null ||
    (scope !== undefined && device.customerId !== scope) ||
    (technician !== undefined && !(await registry.isAssignedTo(device.id, technician)))
  )
    throw new NotFoundError('device', id);
  return device;
}

/** When a device was last seen, as ISO 8601: the later of the broker's last word from it and its newest sample. */
export function lastSeenIso(presenceMs: number | null, newestSampleMs: number | undefined): string | null {
  const at = Math.max(presenceMs ?? Number.NEGATIVE_INFINITY, newestSampleMs ?? Number.NEGATIVE_INFINITY);
  return Number.isFinite(at) ? new Date(at).toISOString() : null;
}
