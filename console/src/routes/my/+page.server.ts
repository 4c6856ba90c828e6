import { ticketsDependency } from '$lib/live-keys.ts';
import { apiFor } from '$lib/server/api.ts';
import { modelLabel } from '$lib/server/catalog-view.ts';
import { listFleetDevices } from '$lib/server/fleet.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { loadCustomerTickets, rateVisit, reportProblem } from '$lib/server/ticket-customer.ts';
import type { Actions, PageServerLoad } from './$types';

/** A customer's own devices, visits and tickets; the API scopes all of them to the signed-in customer. */
export const load: PageServerLoad = async ({ locals, depends }) => {
  depends(ticketsDependency);
  const api = apiFor(locals);
  try {
    const [devices, tickets] = await Promise.all([listFleetDevices(api), loadCustomerTickets(api)]);
    return {
      title: 'My devices',
      devices: devices.map((d) => ({
        id: d.id,
        modelLabel: modelLabel(d.model),
        health: d.health,
        online: d.online,
        lastSeen: d.lastSeen,
        serial: d.serial,
      })),
      tickets,
    };
  } catch (err) {
    rethrowForPage(err);
  }
};

export const actions: Actions = {
  report: async ({ locals, request }) => reportProblem(apiFor(locals), await request.formData()),
  rate: async ({ locals, request }) => rateVisit(apiFor(locals), await request.formData()),
};
