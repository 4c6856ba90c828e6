import { deviceDetailSchema } from '@aftercare/core';
import { apiFor } from '$lib/server/api.ts';
import {
  chartWindowRange,
  chartWindowResponse,
  rethrowChartWindowError,
} from '$lib/server/chart-window-endpoint.ts';
import type { RequestHandler } from './$types';

/**
 * The device page's charts ask here when a planner zooms: the same aggregated series for a narrower
 * window, with a finer step chosen on the server. The browser never calls the API itself; this
 * route does, with the session's token.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  const range = chartWindowRange(url);
  const api = apiFor(locals);
  try {
    const device = await api.get(`/api/devices/${encodeURIComponent(params.id)}`, deviceDetailSchema);
    // The planner's page draws the window's tickets on its risk chart.
    return await chartWindowResponse(api, device, url, range, { ticketMarks: true });
  } catch (err) {
    rethrowChartWindowError(err, 'no such device');
  }
};
