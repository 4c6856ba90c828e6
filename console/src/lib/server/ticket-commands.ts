import { type TicketCommands, ticketCommandSchema, ticketCommandsSchema } from '@aftercare/core';
import { fail } from '@sveltejs/kit';
import { type ApiClient, ApiError } from './api.ts';
import { commandForm, parseForm } from './form-schemas.ts';
import { perform } from './ticket-actions.ts';

export { type RemoteCommandsView, remoteCommandsView } from './ticket-command-view.ts';

/*
 * Remote troubleshooting on a ticket page: the commands that apply to the ticket's failure mode (the
 * catalogue's remote fix, and the diagnostic ping every device answers), those sent with what the
 * device answered, and the form action that sends one. Reads and sends go through the service API
 * with the user's token (GET/POST /api/tickets/:id/commands).
 */

/**
 * GET /api/tickets/:id/commands. A service without the route, or one that refuses it, leaves the
 * panel out (null) rather than failing the whole ticket page.
 */
export async function loadTicketCommands(api: ApiClient, id: string): Promise<TicketCommands | null> {
  try {
    return await api.get(`/api/tickets/${encodeURIComponent(id)}/commands`, ticketCommandsSchema);
  } catch (err) {
    if (err instanceof ApiError && [403, 404].includes(err.status)) return null;
    throw err;
  }
}

/** POST /api/tickets/:id/commands with the command the form names (one the ticket offers). */
export async function sendTicketCommand(api: ApiClient, id: string, data: FormData) {
  const form = parseForm(commandForm, data);
  if (!form.ok) return fail(400, { form: 'command', ok: false, message: form.message });
  const { command } = form.data;
  let undelivered: string | null = null;
  const outcome = await perform('command', async () => {
    const sent = await api.request(`/api/tickets/${encodeURIComponent(id)}/commands`, ticketCommandSchema, {
      method: 'POST',
      body: { command },
    });
    if (sent.status === 'failed')
      undelivered = `${command} could not be delivered: ${sent.answerMessage ?? 'the broker did not take it'}.`;
    return `${command} sent; the device's answer appears below when it arrives.`;
  });
  // Recorded, but the broker did not take it: say so as a failure, the list shows it as not delivered.
  if (undelivered !== null) return fail(502, { form: 'command', ok: false, message: undelivered });
  return outcome;
}
