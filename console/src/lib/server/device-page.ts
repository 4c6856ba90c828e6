import { deviceDetailSchema, fleetHealthRules } from '@aftercare/core';
import { error } from '@sveltejs/kit';
import { defaultRange, isRangeKey, ranges, resolveWindow } from '../telemetry-range.ts';
import { ApiError, apiFor } from './api.ts';
import { metricViews, modelLabel, signatureMetrics } from './catalog-view.ts';
import { customerNames } from './customer-names.ts';
import { currentRisks, loadChartWindow } from './device-view.ts';
import { rethrowForPage } from './http-errors.ts';
import { latestReadings } from './latest-readings.ts';

const defaultMetricCount = 3;
const maxMetrics = 8;

/**
 * A device's page for the office (/devices/[id]): its details, current risks and the first chart
 * window. The API decides what the user may see and answers 404 for a device they may not, which
 * becomes this page's 404.
 */
export async function loadDevicePage({
  locals,
  params,
  url,
}: {
  locals: App.Locals;
  params: { id: string };
  url: URL;
}) {
  const api = apiFor(locals);
  const notFound = `There is no device "${params.id}" that you can see.`;
  try {
    const device = await api
      .get(`/api/devices/${encodeURIComponent(params.id)}`, deviceDetailSchema)
      .catch((err) => {
        // An id the API refuses as malformed cannot name a device either.
        if (err instanceof ApiError && err.status === 400) error(404, notFound);
        throw err;
      });
    const metrics = metricViews(device.model);
    const [risks, names] = await Promise.all([
      currentRisks(api, device.id),
      customerNames(api, [device.customerId]),
    ]);

    // Metrics: as asked in the URL, else those the top risk's failure mode shows in, else the first few.
    const known = new Set(metrics.map((m) => m.name));
    const asked = [
      ...new Set(
        url.searchParams
          .getAll('metrics')
          .flatMap((v) => v.split(','))
          .filter((m) => known.has(m)),
      ),
    ];
    const top = risks?.[0];
    const suggested = top ? signatureMetrics(device.model, top.failureMode) : [];
    const selected = (asked.length ? asked : suggested.length ? suggested : metrics.map((m) => m.name)).slice(
      0,
      asked.length ? maxMetrics : defaultMetricCount,
    );

    const rangeParam = url.searchParams.get('range');
    const range = isRangeKey(rangeParam) ? rangeParam : defaultRange;
    const now = Date.now();
    const window = resolveWindow(
      url.searchParams.get('from'),
      url.searchParams.get('to'),
      now,
      ranges[range].ms,
    );
    const zoomed = url.searchParams.has('from');
    const chart = await loadChartWindow(api, device, selected, window.from, window.to, {
      now,
      ticketMarks: true,
    });

    return {
      title: device.id,
      device: {
        id: device.id,
        model: device.model,
        modelLabel: modelLabel(device.model),
        serial: device.serial,
        customerId: device.customerId,
        /** The owner's name, when the API lets this user read it; else null (show the id). */
        customerName: device.customerId ? (names.get(device.customerId) ?? null) : null,
        installedAt: device.installedAt,
        online: device.online,
        lastSeen: device.lastSeen,
        latest: device.latest,
      },
      readings: latestReadings(device.model, device.latest),
      metrics,
      selected,
      range,
      zoomed,
      chart,
      risks,
      /** Core's health rules (at risk from, failed from), sent as plain numbers: core stays on the server. */
      healthRules: { ...fleetHealthRules },
      now,
    };
  } catch (err) {
    rethrowForPage(err, notFound);
  }
}

export type DevicePageData = Awaited<ReturnType<typeof loadDevicePage>>;
