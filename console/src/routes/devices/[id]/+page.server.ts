import { ticketsDependency } from '$lib/live-keys.ts';
import { apiFor } from '$lib/server/api.ts';
import { loadDevicePage } from '$lib/server/device-page.ts';
import { loadDeviceTickets, openDeviceTicket } from '$lib/server/device-tickets.ts';
import { priorityOptions } from '$lib/server/ticket-words.ts';
import type { Actions, PageServerLoad } from './$types';

/** The planner's device page: the device, its risks and telemetry, and its tickets. */
export const load: PageServerLoad = async (event) => {
  event.depends(ticketsDependency);
  const [page, tickets] = await Promise.all([
    loadDevicePage(event),
    loadDeviceTickets(apiFor(event.locals), event.params.id),
  ]);
  return { ...page, tickets, priorities: priorityOptions };
};

export const actions: Actions = {
  openTicket: async ({ locals, params, request }) =>
    openDeviceTicket(apiFor(locals), params.id, await request.formData()),
};
