import { ticketPageSchema, ticketSchema } from '@aftercare/core';
import { fail } from '@sveltejs/kit';
import { formatDateTime } from '../format.ts';
import { type ApiClient, ApiError } from './api.ts';
import { orderDeviceTickets } from './device-ticket-order.ts';
import { deviceTicketForm, parseForm } from './form-schemas.ts';
import { perform } from './ticket-actions.ts';

import { kindLabels, priorityLabels } from './ticket-words.ts';

/**
 * The planner's side of a device's tickets, on its page: the tickets it has (open ones first, then
 * the latest closed) and a form to open a corrective one for it.
 */

const openStatuses = new Set(['open', 'scheduled', 'dispatched', 'on_site', 'flagged_for_review']);

/** How many of a device's tickets its page lists. */
export const deviceTicketLimit = 10;

export interface DeviceTicket {
  id: string;
  title: string;
  kindLabel: string;
  priorityLabel: string;
  status: string;
  open: boolean;
  createdAt: number;
  slaDueAt: number;
}

export interface DeviceTickets {
  /** Open tickets first (the oldest first), then the newest closed ones. */
  items: DeviceTicket[];
  /** All the device's tickets, of which `items` are the first few. */
  total: number;
}

/** GET /api/tickets?deviceId=…; null when the service has no tickets or does not answer. */
export async function loadDeviceTickets(api: ApiClient, deviceId: string): Promise<DeviceTickets | null> {
  const [open, recent] = await Promise.all([
    api.getIfAvailable('/api/tickets', ticketPageSchema, {
      deviceId,
      status: [...openStatuses].join(','),
      limit: deviceTicketLimit,
    }),
    api.getIfAvailable('/api/tickets', ticketPageSchema, { deviceId, limit: deviceTicketLimit }),
  ]).catch((err) => {
    // The device's own details loaded: a ticket list that fails leaves the rest of the page.
    if (err instanceof ApiError && err.status !== 401) return [null, null] as const;
    throw err;
  });
  if (open === null || recent === null) return null;
  const seen = new Set<string>();
  const items = orderDeviceTickets(
    [...open.items, ...recent.items]
      .filter((t) => !seen.has(t.id) && seen.add(t.id))
      .map((t) => ({
        id: t.id,
        title: t.title,
        kindLabel: kindLabels[t.kind],
        priorityLabel: priorityLabels[t.priority],
        status: t.status,
        open: openStatuses.has(t.status),
        createdAt: t.createdAt,
        slaDueAt: t.slaDueAt,
      })),
  ).slice(0, deviceTicketLimit);
  return { items, total: recent.total };
}

/** POST /api/tickets: a corrective ticket for this device, opened by a planner. */
export async function openDeviceTicket(api: ApiClient, deviceId: string, data: FormData) {
  data.set('deviceId', deviceId);
  const form = parseForm(deviceTicketForm, data);
  if (!form.ok) return fail(400, { form: 'openTicket', ok: false, message: form.message, ticketId: null });
  let ticketId: string | null = null;
  const outcome = await perform('openTicket', async () => {
    const ticket = await api.request('/api/tickets', ticketSchema, { method: 'POST', body: form.data });
    ticketId = ticket.id;
    return `The ticket is open; its SLA is due ${formatDateTime(ticket.slaDueAt)}.`;
  });
  if ('status' in outcome) {
    if (outcome.status === 404)
      return fail(404, {
        form: 'openTicket',
        ok: false,
        message: 'This device is not one you can open a ticket for.',
        ticketId: null,
      });
    return fail(outcome.status, { ...outcome.data, ticketId: null });
  }
  return { ...outcome, ticketId };
}
