import { ticketsDependency } from '$lib/live-keys.ts';
import { loadCustomerDevice } from '$lib/server/customer-device.ts';
import type { PageServerLoad } from './$types';

/** A customer's own device; another customer's id is "not found", as the API answers it. */
export const load: PageServerLoad = (event) => {
  // A technician booked or on the way shows as it happens.
  event.depends(ticketsDependency);
  return loadCustomerDevice(event);
};
