import { deviceDetailSchema } from '@aftercare/core';
import { error, json } from '@sveltejs/kit';
import { ApiError, ApiUnavailableError, apiFor } from '$lib/server/api.ts';
import { metricViews } from '$lib/server/catalog-view.ts';
import { loadChartWindow } from '$lib/server/device-view.ts';
import type { RequestHandler } from './$types';

const minWindowMs = 10 * 60_000;

/**
 * The device page's charts ask here when a planner zooms: the same aggregated series for a narrower
 * window, with a finer step chosen on the server. The browser never calls the API itself; this
 * route does, with the session's token.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  const from = Number(url.searchParams.get('from'));
  const to = Number(url.searchParams.get('to'));
  if (!Number.isInteger(from) || !Number.isInteger(to) || to - from < minWindowMs)
    error(400, 'from and to must be epoch milliseconds at least 10 minutes apart');
  const api = apiFor(locals);
  try {
    const device = await api.get(`/api/devices/${encodeURIComponent(params.id)}`, deviceDetailSchema);
    const known = new Set(metricViews(device.model).map((m) => m.name));
    const metrics = (url.searchParams.get('metrics') ?? '').split(',').filter((m) => known.has(m));
    return json(await loadChartWindow(api, device, metrics, from, to));
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, 'no such device');
    if (err instanceof ApiError && err.status === 401) error(401, 'Your session has ended; sign in again.');
    if (err instanceof ApiUnavailableError) error(503, err.message);
    throw err;
  }
};
