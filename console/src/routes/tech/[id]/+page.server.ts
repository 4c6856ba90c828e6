import { error } from '@sveltejs/kit';
import { ticketsDependency } from '$lib/live-keys.ts';
import { ApiError, ApiUnavailableError, apiFor } from '$lib/server/api.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { type JobReadings, loadJobReadings } from '$lib/server/job-readings.ts';
import { log } from '$lib/server/log.ts';
import { startOnVisitDay, technicianTimeZone } from '$lib/server/start-day.ts';
import {
  addNote,
  markPartArrived,
  recordLoosePartUsed,
  recordPartUsed,
  transitionTicket,
} from '$lib/server/ticket-actions.ts';
import { loadTicketCommands, remoteCommandsView, sendTicketCommand } from '$lib/server/ticket-commands.ts';
import { loadTicketView } from '$lib/server/ticket-view.ts';
import { stepsFor } from '$lib/server/ticket-words.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * One job on the technician's phone: what to do, what the device reads, the parts, notes, the next
 * step and the history with names.
 */
export const load: PageServerLoad = async ({ locals, params, depends, url }) => {
  depends(ticketsDependency);
  const technicianId = locals.user?.technicianId;
  if (!technicianId) error(403, 'This account is not linked to a technician.');
  const notFound = `There is no job "${params.id}" assigned to you.`;
  const api = apiFor(locals);
  const malformedIsMissing = (err: unknown): never => {
    if (err instanceof ApiError && err.status === 400) error(404, notFound);
    throw err;
  };
  try {
    const loaded = loadTicketView(api, params.id, { viewerTechnicianId: technicianId }).catch(
      malformedIsMissing,
    );
    // Streamed: the job opens at once on a phone, and its charts follow when their data is in.
    const readings = loaded
      .then(({ view, readingsBasis }) =>
        readingsBasis ? loadJobReadings(api, readingsBasis, url) : deviceUnreadable(view.deviceId),
      )
      .catch(readingsUnavailable);
    const [{ view: job }, commands, timeZone] = await Promise.all([
      loaded,
      loadTicketCommands(api, params.id),
      technicianTimeZone(api, technicianId),
    ]);
    // The service lets the technician the job is assigned to send its commands; this page shows only their jobs.
    const own = job.technicianId === technicianId;
    return {
      title: job.title,
      job,
      ...startOnVisitDay(stepsFor(job.status, 'technician'), job.appointment, timeZone),
      commands: commands && remoteCommandsView(commands, job, own),
      readings,
    };
  } catch (err) {
    rethrowForPage(err, notFound);
  }
};

/**
 * The job stays usable when its readings cannot be read: the page says so in their place. They are
 * streamed after the page has answered, so even an ended session is only logged here; the next
 * step the technician takes meets it.
 */
function readingsUnavailable(err: unknown): JobReadings | null {
  if (err instanceof ApiUnavailableError || err instanceof ApiError)
    log().warn({ err }, 'job readings unavailable');
  else log().error({ err }, 'job readings failed');
  return null;
}

/** The view was refused the job's device or did not find it: the page says so, as for a failed read. */
function deviceUnreadable(deviceId: string): null {
  log().warn({ deviceId }, 'job readings unavailable: the device could not be read');
  return null;
}

export const actions: Actions = {
  transition: async ({ locals, params, request }) =>
    transitionTicket(apiFor(locals), params.id, await request.formData()),
  note: async ({ locals, params, request }) => addNote(apiFor(locals), params.id, await request.formData()),
  part: async ({ locals, params, request }) =>
    recordPartUsed(apiFor(locals), params.id, await request.formData()),
  loosePart: async ({ locals, params, request }) =>
    recordLoosePartUsed(apiFor(locals), params.id, await request.formData()),
  arrived: async ({ locals, params, request }) =>
    markPartArrived(apiFor(locals), params.id, await request.formData()),
  command: async ({ locals, params, request }) =>
    sendTicketCommand(apiFor(locals), params.id, await request.formData()),
};
