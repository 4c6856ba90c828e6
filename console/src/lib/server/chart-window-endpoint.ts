import type { DeviceModel } from '@aftercare/core';
import { error, json } from '@sveltejs/kit';
import { type ApiClient, ApiError, ApiUnavailableError } from './api.ts';
import { metricViews } from './catalog-view.ts';
import { loadChartWindow } from './device-view.ts';

const minWindowMs = 10 * 60_000;

/**
 * What the charts' zoom endpoints share: the window asked for (400 when it is not one), and the
 * answer for a device once the endpoint has decided the caller may see it. Metrics the device's
 * model does not have are left out rather than asked of the API.
 */
export function chartWindowRange(url: URL): { from: number; to: number } {
  const from = Number(url.searchParams.get('from'));
  const to = Number(url.searchParams.get('to'));
  if (!Number.isInteger(from) || !Number.isInteger(to) || to - from < minWindowMs)
    error(400, 'from and to must be epoch milliseconds at least 10 minutes apart');
  return { from, to };
}

export async function chartWindowResponse(
  api: ApiClient,
  device: { id: string; model: DeviceModel },
  url: URL,
  range: { from: number; to: number },
  options: { ticketMarks?: boolean } = {},
): Promise<Response> {
  const known = new Set(metricViews(device.model).map((m) => m.name));
  const metrics = (url.searchParams.get('metrics') ?? '').split(',').filter((m) => known.has(m));
  return json(await loadChartWindow(api, device, metrics, range.from, range.to, options));
}

/** The API's refusals as the endpoint answers them: what the caller may not see is `notFound`. */
export function rethrowChartWindowError(err: unknown, notFound: string): never {
  if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, notFound);
  if (err instanceof ApiError && err.status === 401) error(401, 'Your session has ended; sign in again.');
  if (err instanceof ApiUnavailableError) error(503, err.message);
  throw err;
}
