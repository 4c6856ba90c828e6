import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

const minute = 60_000;
const hour = 60 * minute;

describe('GET /api/devices/:id/telemetry', () => {
  let service: ServiceHarness;
  // Two hours back, on a minute boundary, so that one-minute buckets hold three samples each.
  const base = Math.floor((Date.now() - 2 * hour) / minute) * minute;
  const from = base;
  const to = base + 2 * minute;

  beforeAll(async () => {
    service = await startService();
    for (const id of ['acme', 'globex']) await service.repos.customers.create(aCustomer({ id }));
    await service.api('/api/devices', {
      method: 'POST',
      body: { id: 'ac-1', model: 'split-ac', customerId: 'acme' },
    });
    await service.api('/api/devices', {
      method: 'POST',
      body: { id: 'ac-2', model: 'split-ac', customerId: 'globex' },
    });
    await service.api('/api/devices', { method: 'POST', body: { id: 'ro-1', model: 'water-purifier' } });
    await service.store.write(
      [0, 1, 2, 3, 4, 5].map((k) => ({
        deviceId: 'ac-1',
        model: 'split-ac',
        ts: base + k * 20_000,
        metrics: { power_w: 100 + 10 * k, compressor_current_a: 5 + k / 10 },
      })),
    );
    await service.store.write([
      { deviceId: 'ro-1', model: 'water-purifier', ts: Date.now() - 30 * hour, metrics: { tds_ppm: 999 } },
      {
        deviceId: 'ro-1',
        model: 'water-purifier',
        ts: Date.now() - hour,
        metrics: { tds_ppm: 40, flow_lpm: 1.5 },
      },
    ]);
  });
  afterAll(() => service.close());

  it('returns raw samples with mean = min = max when no step is given', async () => {
    const res = await service.api(`/api/devices/ac-1/telemetry?metrics=power_w&from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    const values = [100, 110, 120, 130, 140, 150];
    expect(res.body).toEqual({
      deviceId: 'ac-1',
      from,
      to,
      stepMs: null,
      series: [
        {
          metric: 'power_w',
          ts: values.map((_, k) => base + k * 20_000),
          mean: values,
          min: values,
          max: values,
        },
      ],
    });
  });

  it('aggregates to mean, min and max per step, accepting ISO 8601 times', async () => {
    const query = `metrics=power_w,compressor_current_a&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&step=1m`;
    const res = await service.api(`/api/devices/ac-1/telemetry?${query}`);
    expect(res.status).toBe(200);
    expect(res.body.stepMs).toBe(minute);
    const power = res.body.series.find((s: { metric: string }) => s.metric === 'power_w');
    expect(power).toEqual({
      metric: 'power_w',
      ts: [base, base + minute],
      mean: [110, 140],
      min: [100, 130],
      max: [120, 150],
    });
    const current = res.body.series.find((s: { metric: string }) => s.metric === 'compressor_current_a');
    expect(current.mean[0]).toBeCloseTo(5.1);
    expect(current.max[1]).toBeCloseTo(5.5);
  });

  it('defaults to every metric the device reports over the last 24 hours', async () => {
    const before = Date.now();
    const res = await service.api('/api/devices/ro-1/telemetry');
    expect(res.status).toBe(200);
    expect(res.body.to).toBeGreaterThanOrEqual(before);
    expect(res.body.to - res.body.from).toBe(24 * hour);
    const byMetric = Object.fromEntries(
      res.body.series.map((s: { metric: string; mean: number[] }) => [s.metric, s.mean]),
    );
    expect(byMetric).toEqual({ flow_lpm: [1.5], tds_ppm: [40] });
  });

  it("answers 404 for an unknown device and for another customer's device", async () => {
    expect((await service.api('/api/devices/nope/telemetry')).status).toBe(404);
    const token = await service.tokenFor('customer', 'acme');
    expect((await service.api(`/api/devices/ac-1/telemetry?from=${from}&to=${to}`, { token })).status).toBe(
      200,
    );
    const foreign = await service.api('/api/devices/ac-2/telemetry', { token });
    expect(foreign.status).toBe(404);
    expect(foreign.body.message).toBe('device ac-2 not found');
  });

  it('answers 400 naming the metrics that are unknown, instead of empty series', async () => {
    const res = await service.api(
      `/api/devices/ac-1/telemetry?metrics=power_w,nope,tds_ppm&from=${from}&to=${to}`,
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.message).toMatch(
      /^querystring\.metrics: unknown metrics nope, tds_ppm: not in the split-ac catalogue/,
    );
    expect(res.body.message).toContain('(the split-ac metrics are supply_air_temp_c, return_air_temp_c,');
  });

  it('answers a catalogue metric without samples with an empty series, and one the device reports outside the catalogue with its samples', async () => {
    const quiet = await service.api(
      `/api/devices/ac-1/telemetry?metrics=vibration_mm_s&from=${from}&to=${to}`,
    );
    expect(quiet.status).toBe(200);
    expect(quiet.body.series).toEqual([{ metric: 'vibration_mm_s', ts: [], mean: [], min: [], max: [] }]);
    // tds_ppm is no water-purifier metric of the catalogue, but ro-1 reports it: the contract allows any name.
    const extra = await service.api('/api/devices/ro-1/telemetry?metrics=tds_ppm');
    expect(extra.status).toBe(200);
    expect(extra.body.series[0].mean).toEqual([40]);
  });

  it.each([
    ['from after to', `from=${to}&to=${from}`, /^querystring\.from: from must be before to/],
    ['from in the future with no to', `from=${Date.now() + hour}`, /^querystring\.from: must be before to/],
    [
      'a time that is neither',
      'from=yesterday',
      /^querystring\.from: must be epoch milliseconds or ISO 8601/,
    ],
    // Regressions: Date.parse read these as 2001-01-01, 2001-11-01 and 2 March.
    [
      'a negative number',
      'from=-1',
      /^querystring\.from: must be epoch milliseconds or ISO 8601 with a zone/,
    ],
    ['a loose date', 'from=Nov%201', /^querystring\.from: must be epoch milliseconds or ISO 8601/],
    [
      'a date that does not exist',
      'from=2026-02-30T00:00:00Z',
      /^querystring\.from: must be a real date and time \(there is no 2026-02-30T00:00:00Z\)/,
    ],
    [
      'a time without a zone',
      'to=2026-01-01T00:00:00',
      /^querystring\.to: must be epoch milliseconds or ISO 8601/,
    ],
    ['an unencoded + in the zone', 'to=2026-01-01T05:30:00+05:30', /^querystring\.to: .*write it as %2B/],
    [
      'a step under a second',
      `from=${from}&to=${to}&step=500ms`,
      /^querystring\.step: step must be at least 1s/,
    ],
    ['a step that is not a duration', 'step=fortnight', /^querystring\.step: must be a duration/],
    [
      'a metric name that is not snake_case',
      'metrics=Power-W',
      /^querystring\.metrics\.0: metric names are snake_case/,
    ],
    ['an unknown parameter', 'metric=power_w', /^querystring: Unrecognized key: "metric"/],
    ['too many buckets', `from=${to - 30 * 24 * hour}&to=${to}&step=1s`, /raise step to at least 130s/],
  ])('answers 400 naming the parameter for %s', async (_case, query, message) => {
    const res = await service.api(`/api/devices/ac-1/telemetry?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });
});

describe('GET /api/devices/:id/telemetry at its limits', () => {
  let service: ServiceHarness;
  beforeAll(async () => {
    service = await startService({ config: { telemetry: { maxPointsPerSeries: 3 } } });
    await service.api('/api/devices', { method: 'POST', body: { id: 'ac-1', model: 'split-ac' } });
    const now = Date.now();
    await service.store.write(
      [4, 3, 2, 1].map((k) => ({
        deviceId: 'ac-1',
        model: 'split-ac',
        ts: now - k * minute,
        metrics: { power_w: k },
      })),
    );
  });
  afterAll(() => service.close());

  it('answers 400 asking for a step when a raw range holds too many samples', async () => {
    const res = await service.api('/api/devices/ac-1/telemetry');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'QUERY_TOO_LARGE' });
    expect(res.body.message).toMatch(/power_w has 4 raw samples in this range.*pass step=28800s/);
    expect((await service.api('/api/devices/ac-1/telemetry?step=8h')).status).toBe(200);
  });

  it('answers 503 without internal details while the telemetry store is down', async () => {
    await service.store.close();
    const res = await service.api('/api/devices/ac-1/telemetry?step=8h');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'INGEST_STORE_UNAVAILABLE',
      message: 'the telemetry store is not answering; try again shortly',
    });
  });
});
