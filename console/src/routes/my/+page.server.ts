import { apiFor } from '$lib/server/api.ts';
import { modelLabel } from '$lib/server/catalog-view.ts';
import { loadFleet } from '$lib/server/fleet.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { listTickets } from '$lib/server/tickets.ts';
import type { PageServerLoad } from './$types';

/** A customer's own devices and tickets; the API scopes both to the signed-in customer. */
export const load: PageServerLoad = async ({ locals }) => {
  const api = apiFor(locals);
  try {
    const [fleet, tickets] = await Promise.all([
      loadFleet(api),
      listTickets(api, { status: 'open,scheduled,dispatched,on_site,resolved' }),
    ]);
    return {
      title: 'My devices',
      devices: fleet.devices.map((d) => ({
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
