import type { deviceDetailSchema, RiskDriver, TicketDetail, TicketEvidence } from '@aftercare/core';
import type { z } from 'zod';
import { isJobRange, type JobRangeKey, trendRange } from '../job-range.ts';
import { ranges, resolveWindow } from '../telemetry-range.ts';
import type { ApiClient } from './api.ts';
import { type MetricView, metricViews, signatureMetrics } from './catalog-view.ts';
import { type ChartWindow, loadChartWindow } from './device-view.ts';
import { type LatestReadings, latestReadings } from './latest-readings.ts';

const defaultMetricCount = 3;
const maxMetrics = 8;

export interface JobReadings {
  deviceId: string;
  online: boolean;
  lastSeen: string | null;
  latest: LatestReadings;
  metrics: MetricView[];
  selected: string[];
  /** The metrics the risk's drivers name, strongest first: what the technician should look at. */
  driverMetrics: string[];
  range: JobRangeKey;
  zoomed: boolean;
  chart: ChartWindow;
  now: number;
}

/**
 * What a job's readings are chosen and read from: its device as the ticket view already read it, and
 * the failure mode and risk that say which metrics matter.
 */
export interface JobReadingsBasis {
  device: Pick<z.infer<typeof deviceDetailSchema>, 'id' | 'model' | 'online' | 'lastSeen' | 'latest'>;
  failureMode: TicketDetail['failureMode'];
  evidence: Pick<TicketEvidence, 'scoredAt' | 'drivers'> | null;
}

/** Driver metrics by weight, then the failure mode's signature, then the model's others; those asked in the URL win. */
export function chooseMetrics(
  known: readonly string[],
  drivers: readonly RiskDriver[],
  signature: readonly string[],
  asked: readonly string[],
): { selected: string[]; driverMetrics: string[] } {
  const isKnown = new Set(known);
  const driverMetrics = [
    ...new Set([...drivers].sort((a, b) => b.weight - a.weight).map((d) => d.metric)),
  ].filter((m) => isKnown.has(m));
  const wanted = [...new Set(asked)].filter((m) => isKnown.has(m));
  if (wanted.length) return { selected: wanted.slice(0, maxMetrics), driverMetrics };
  const suggested = [...new Set([...driverMetrics, ...signature.filter((m) => isKnown.has(m))])];
  return {
    selected: (suggested.length ? suggested : known).slice(0, defaultMetricCount),
    driverMetrics,
  };
}

/**
 * What the device of a technician's job is doing: its latest readings and the charts of the metrics
 * the risk's drivers name, over a window long enough to show their trend.
 */
export async function loadJobReadings(
  api: ApiClient,
  { device, failureMode, evidence }: JobReadingsBasis,
  url: URL,
  now = Date.now(),
): Promise<JobReadings> {
  const metrics = metricViews(device.model);
  const asked = url.searchParams.getAll('metrics').flatMap((v) => v.split(','));
  const { selected, driverMetrics } = chooseMetrics(
    metrics.map((m) => m.name),
    evidence?.drivers ?? [],
    failureMode ? signatureMetrics(device.model, failureMode) : [],
    asked,
  );
  const rangeParam = url.searchParams.get('range');
  // Without a choice, the range that shows the drivers' whole trend.
  const range: JobRangeKey = isJobRange(rangeParam) ? rangeParam : trendRange(evidence, now);
  const window = resolveWindow(
    url.searchParams.get('from'),
    url.searchParams.get('to'),
    now,
    ranges[range].ms,
  );
  const chart = await loadChartWindow(api, device, selected, window.from, window.to, { now });
  return {
    deviceId: device.id,
    online: device.online,
    lastSeen: device.lastSeen,
    latest: latestReadings(device.model, device.latest),
    metrics,
    selected,
    driverMetrics,
    range,
    zoomed: url.searchParams.has('from'),
    chart,
    now,
  };
}
