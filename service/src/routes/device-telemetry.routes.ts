import {
  catalog,
  type DeviceModel,
  deviceIdParamsSchema,
  type MetricSeries,
  telemetryQuerySchema,
  telemetryResponseSchema,
  ValidationError,
} from '@aftercare/core';
import type { TelemetryStore } from '@aftercare/ingest';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import type { DeviceRegistry } from '../repositories/device-registry.ts';
import { roles } from '../schemas.ts';
import { assertRawSeriesSize, resolveTelemetryRange, type TelemetryRangeLimits } from '../telemetry-range.ts';
import { findVisibleDevice } from './device-access.ts';
import { errorResponses } from './error-responses.ts';

export interface DeviceTelemetryRoutesOptions {
  registry: DeviceRegistry;
  store: TelemetryStore;
  limits: TelemetryRangeLimits;
  clock: () => number;
}

/**
 * Refuses asked-for metrics that are neither in the model's catalogue nor in the answer: a typo
 * (`metrics=nope`) used to come back as an empty series, indistinguishable from a quiet sensor.
 * The catalogue alone is not the test, because the MQTT contract lets a device report any
 * snake_case metric and the default query returns those too; a name the device did report in the
 * range is therefore known, and a catalogue metric with no samples is simply an empty series.
 */
function assertKnownMetrics(
  model: DeviceModel,
  asked: readonly string[] | undefined,
  series: MetricSeries[],
) {
  if (asked === undefined) return;
  const catalogued = new Set(catalog[model].metrics.map((m) => m.name));
  const reported = new Set(series.filter((s) => s.ts.length > 0).map((s) => s.metric));
  const unknown = [...new Set(asked)].filter((name) => !catalogued.has(name) && !reported.has(name));
  if (unknown.length === 0) return;
  throw new ValidationError(
    `querystring.metrics: unknown ${unknown.length === 1 ? 'metric' : 'metrics'} ${unknown.join(', ')}: ` +
      `not in the ${model} catalogue, and this device reported none in the range ` +
      `(the ${model} metrics are ${[...catalogued].join(', ')})`,
  );
}

export const deviceTelemetryRoutes: FastifyPluginAsyncZod<DeviceTelemetryRoutesOptions> = async (
  app,
  { registry, store, limits, clock },
) => {
  app.get(
    '/devices/:id/telemetry',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['devices'],
        summary: "A device's telemetry over a time range",
        description:
          'Without step: raw samples (mean = min = max). With step: mean, min and max per bucket. ' +
          'Defaults: to = now, from = to - 24 h, every metric the device reports. A metric that is neither ' +
          "in the model's catalogue nor reported by the device in the range is a 400.",
        params: deviceIdParamsSchema,
        querystring: telemetryQuerySchema,
        response: { 200: telemetryResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const range = resolveTelemetryRange(request.query, clock(), limits);
      const device = await findVisibleDevice(registry, principalOf(request), request.params.id);
      const series = await store.querySeries({
        deviceId: device.id,
        metrics: request.query.metrics,
        ...range,
      });
      assertKnownMetrics(device.model, request.query.metrics, series);
      if (range.stepMs === null) assertRawSeriesSize(series, range, limits);
      return { deviceId: device.id, ...range, series };
    },
  );
};
