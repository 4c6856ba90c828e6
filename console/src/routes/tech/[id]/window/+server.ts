import { deviceSchema, ticketDetailSchema } from '@aftercare/core';
import { error } from '@sveltejs/kit';
import { apiFor } from '$lib/server/api.ts';
import {
  chartWindowRange,
  chartWindowResponse,
  rethrowChartWindowError,
} from '$lib/server/chart-window-endpoint.ts';
import type { RequestHandler } from './$types';

/**
 * The job page's charts zoom here. The device is the job's own, never one named in the request:
 * the API lets a technician read every device they ever had a job on, this page only the one of
 * the job in hand, and only while it is theirs. Anything else is "not found", as for a missing job.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  const technicianId = locals.user?.technicianId;
  const notFound = `There is no job "${params.id}" assigned to you.`;
  if (!technicianId) error(404, notFound);
  const range = chartWindowRange(url);
  const api = apiFor(locals);
  try {
    const job = await api.get(`/api/tickets/${encodeURIComponent(params.id)}`, ticketDetailSchema);
    if (job.technicianId !== technicianId) error(404, notFound);
    const device = await api.get(`/api/devices/${encodeURIComponent(job.deviceId)}`, deviceSchema);
    return await chartWindowResponse(api, device, url, range);
  } catch (err) {
    rethrowChartWindowError(err, notFound);
  }
};
