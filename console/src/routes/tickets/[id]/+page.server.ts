import {
  type DeviceModel,
  failureMode,
  notBegunStatuses,
  partComponentLabel,
  type TicketStatus,
} from '@aftercare/core';
import { error } from '@sveltejs/kit';
import { ticketsDependency } from '$lib/live-keys.ts';
import { ApiError, apiFor } from '$lib/server/api.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { startOnVisitDay, technicianTimeZone } from '$lib/server/start-day.ts';
import { addNote, assignTicket, findPart, transitionTicket } from '$lib/server/ticket-actions.ts';
import { loadTicketCommands, remoteCommandsView, sendTicketCommand } from '$lib/server/ticket-commands.ts';
import { loadTicketView, technicianOptions } from '$lib/server/ticket-view.ts';
import { stepsFor } from '$lib/server/ticket-words.ts';
import type { Actions, PageServerLoad } from './$types';

/** One ticket for a planner: its evidence, work, people and history, and what can be done next. */
export const load: PageServerLoad = async ({ locals, params, depends }) => {
  depends(ticketsDependency);
  const api = apiFor(locals);
  const notFound = `There is no ticket "${params.id}" that you can see.`;
  try {
    const { view: ticket, readingsBasis } = await loadTicketView(api, params.id).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 400) error(404, notFound);
      throw err;
    });
    const assignable = notBegunStatuses.includes(ticket.status);
    const role = locals.user?.role ?? '';
    const office = role === 'planner' || role === 'admin';
    const [technicians, commands, timeZone] = await Promise.all([
      assignable ? technicianOptions(api) : [],
      loadTicketCommands(api, params.id),
      ticket.status === 'dispatched' ? technicianTimeZone(api, ticket.technicianId) : null,
    ]);
    return {
      title: ticket.title,
      ticket,
      ...startOnVisitDay(stepsFor(ticket.status, role), ticket.appointment, timeZone),
      assignable,
      technicians,
      commands: commands && remoteCommandsView(commands, ticket, office),
      missingPart: office ? missingPart(ticket, readingsBasis) : null,
      canFindPart: office && assignable,
    };
  } catch (err) {
    rethrowForPage(err, notFound);
  }
};

/**
 * The catalogue part a job not yet started needs (its failure mode's) when it neither holds it nor
 * has it on the way, as after a transfer was called back: the page offers to find it.
 */
function missingPart(
  ticket: { status: TicketStatus; reservations: Line[]; transfers: Line[]; partsUsed: { sku: string }[] },
  basis: { device: { model: DeviceModel }; failureMode: string | null } | null,
): { sku: string; name: string } | null {
  if (!notBegunStatuses.includes(ticket.status) || !basis?.failureMode) return null;
  const sku = failureMode(basis.device.model, basis.failureMode)?.part;
  if (!sku) return null;
  const answered =
    ticket.reservations.some((r) => r.sku === sku && r.status === 'reserved') ||
    ticket.transfers.some((t) => t.sku === sku && t.status === 'in_transit') ||
    ticket.partsUsed.some((u) => u.sku === sku);
  return answered ? null : { sku, name: partComponentLabel(sku, basis.device.model) ?? sku };
}

type Line = { sku: string; status: string };

export const actions: Actions = {
  transition: ({ locals, params, request }) =>
    request.formData().then((data) => transitionTicket(apiFor(locals), params.id, data)),
  assign: ({ locals, params, request }) =>
    request.formData().then((data) => assignTicket(apiFor(locals), params.id, data)),
  note: ({ locals, params, request }) =>
    request.formData().then((data) => addNote(apiFor(locals), params.id, data)),
  findPart: ({ locals, params }) => findPart(apiFor(locals), params.id),
  command: ({ locals, params, request }) =>
    request.formData().then((data) => sendTicketCommand(apiFor(locals), params.id, data)),
};
