import type { ProvisionDeviceBody } from '@aftercare/core';

let next = 0;

/** A valid provisioning body with a fresh id; override what the test is about. */
export function aDevice(overrides: Partial<ProvisionDeviceBody> = {}): ProvisionDeviceBody {
  next += 1;
  return { id: `dev-${String(next).padStart(4, '0')}`, model: 'split-ac', ...overrides };
}
