import { ticketsDependency } from '$lib/live-keys.ts';
import { apiFor } from '$lib/server/api.ts';
import { modelLabel } from '$lib/server/catalog-view.ts';
import { loadContractBook, loadCustomerContracts } from '$lib/server/customer-contracts.ts';
import { customerTickets, loadCustomerTicketLists } from '$lib/server/customer-tickets.ts';
import { loadPastVisits } from '$lib/server/customer-visits.ts';
import { listFleetDevices } from '$lib/server/fleet.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { rateVisit, reportProblem } from '$lib/server/ticket-customer.ts';
import type { Actions, PageServerLoad } from './$types';

/** How many recent visits the overview shows; each device's page has its own full history. */
const recentVisits = 5;

/** A customer's own devices, contracts, visits and tickets; the API scopes all of them to the signed-in customer. */
export const load: PageServerLoad = async ({ locals, depends }) => {
  depends(ticketsDependency);
  const api = apiFor(locals);
  const now = Date.now();
  try {
    const [devices, lists, book] = await Promise.all([
      listFleetDevices(api),
      loadCustomerTicketLists(api, now),
      loadContractBook(api),
    ]);
    const tickets =
      lists &&
      customerTickets(lists, {
        now,
        book,
        devices: new Map(devices.map((d) => [d.id, modelLabel(d.model)])),
      });
    const appointments = new Map((tickets?.open ?? []).map((t) => [t.id, t.appointment]));
    const [contracts, pastVisits] = await Promise.all([
      book ? loadCustomerContracts(api, book, { now, appointments }) : null,
      loadPastVisits(api, {
        book,
        models: new Map(devices.map((d) => [d.id, d.model])),
        limit: recentVisits,
        now,
      }),
    ]);
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
      contracts,
      pastVisits,
    };
  } catch (err) {
    rethrowForPage(err);
  }
};

export const actions: Actions = {
  report: async ({ locals, request }) => reportProblem(apiFor(locals), await request.formData()),
  rate: async ({ locals, request }) => rateVisit(apiFor(locals), await request.formData()),
};
