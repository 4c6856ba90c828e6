import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreRejectedError, StoreUnavailableError } from '../errors.ts';
import { freePort, influxdPath, type RunningInfluxd, requireBinary, startInfluxd } from '../testing/index.ts';
import { catalogMetric, hourMs, minuteMs, recentHour, samplesOf } from '../testing/telemetry-fixtures.ts';
import { riskOf } from './contract.ts';
import { createInfluxStore, type InfluxStoreOptions } from './influx/index.ts';

const hasInfluxd = requireBinary(influxdPath, 'influxdb');
const current = catalogMetric('split-ac', 'compressor_current_a');
const discharge = catalogMetric('split-ac', 'discharge_temp_c');

/** InfluxQL straight to the server, as Grafana or an operator would send it. */
async function influxql(url: string, q: string, db?: string, auth?: { u: string; p: string }) {
  const body = new URLSearchParams({ q, epoch: 'ms', ...(db ? { db } : {}), ...(auth ?? {}) });
  const response = await fetch(`${url}/query`, { method: 'POST', body });
  const json = (await response.json()) as {
    results: { series?: { columns: string[]; values: unknown[][] }[]; error?: string }[];
  };
  return json.results[0]!;
}

describe.skipIf(!hasInfluxd)('InfluxTelemetryStore operations against a real influxd', () => {
  let influxd: RunningInfluxd;
  let databases = 0;
  const storeOn = (options: Partial<InfluxStoreOptions> = {}) =>
    createInfluxStore({ url: influxd.url, database: `ops_${++databases}`, retentionDays: 30, ...options });

  beforeAll(async () => {
    influxd = await startInfluxd();
  });
  afterAll(async () => {
    await influxd?.dispose();
  });

  it('creates the aftercare_raw retention policy as the default, and alters it when retention changes', async () => {
    const store = storeOn({ database: 'retention', retentionDays: 30 });
    await store.init();
    const policies = async () =>
      (await influxql(influxd.url, 'SHOW RETENTION POLICIES ON "retention"')).series![0]!.values;
    expect(await policies()).toContainEqual(['aftercare_raw', '720h0m0s', '24h0m0s', 1, true]);
    await createInfluxStore({ url: influxd.url, database: 'retention', retentionDays: 7 }).init();
    expect(await policies()).toContainEqual(['aftercare_raw', '168h0m0s', '24h0m0s', 1, true]);
  });

  it('writes the schema outside tools rely on: telemetry, device_id and model tags, float fields, ms time', async () => {
    const store = storeOn({ database: 'schema' });
    await store.init();
    const t0 = recentHour(1);
    await store.write([
      { deviceId: 'ac-0001', model: 'split-ac', ts: t0 + 1, metrics: { [current]: 6, [discharge]: 71.5 } },
    ]);
    const tags = await influxql(influxd.url, 'SHOW TAG KEYS FROM "telemetry"', 'schema');
    expect(tags.series![0]!.values.flat()).toEqual(['device_id', 'model']);
    const fields = await influxql(influxd.url, 'SHOW FIELD KEYS FROM "telemetry"', 'schema');
    expect(fields.series![0]!.values).toEqual([
      [current, 'float'],
      [discharge, 'float'],
    ]);
    const row = await influxql(
      influxd.url,
      `SELECT * FROM "telemetry" WHERE "device_id" = 'ac-0001'`,
      'schema',
    );
    expect(row.series![0]!.columns).toEqual(['time', current, 'device_id', discharge, 'model']);
    expect(row.series![0]!.values).toEqual([[t0 + 1, 6, 'ac-0001', 71.5, 'split-ac']]);
  });

  it('writes risks as outside tools read them: measurement risk in aftercare_raw, tags for the series, ms time', async () => {
    const store = storeOn({ database: 'risk_schema' });
    await store.init();
    const t0 = recentHour(1);
    await store.writeRisks([
      riskOf('ac-0001', 'compressor', t0, { pFail: 0.75, daysLeft: 4 }),
      riskOf('ac-0002', 'compressor', t0, { pFail: 0.125, daysLeft: null }),
    ]);
    const tags = await influxql(influxd.url, 'SHOW TAG KEYS FROM "aftercare_raw"."risk"', 'risk_schema');
    expect(tags.series![0]!.values.flat()).toEqual([
      'component',
      'device_id',
      'failure_mode',
      'model',
      'model_version',
    ]);
    const rows = await influxql(
      influxd.url,
      `SELECT "p_fail", "days_left" FROM "aftercare_raw"."risk" WHERE "component" = 'compressor' GROUP BY "device_id"`,
      'risk_schema',
    );
    expect(rows.series!.map((s) => s.values)).toEqual([[[t0, 0.75, 4]], [[t0, 0.125, null]]]);
  });

  it('leaves out what is older than the retention policy instead of failing the write (a year of demo history)', async () => {
    const store = storeOn({ database: 'beyond_retention', retentionDays: 30 });
    await store.init();
    const recent = recentHour(1);
    const old = recent - 40 * 24 * hourMs;
    await store.write([
      { deviceId: 'ac-0001', model: 'split-ac', ts: old, metrics: { [current]: 5 } },
      { deviceId: 'ac-0001', model: 'split-ac', ts: recent, metrics: { [current]: 6 } },
    ]);
    await store.writeRisks([riskOf('ac-0001', 'compressor', old), riskOf('ac-0001', 'compressor', recent)]);
    const rows = await influxql(influxd.url, 'SELECT * FROM "telemetry"', 'beyond_retention');
    expect(rows.series![0]!.values.map((v) => v[0])).toEqual([recent]);
    const risks = await store.risks({ deviceIds: ['ac-0001'], from: old - hourMs, to: recent + hourMs });
    expect(risks.map((r) => r.scoredAt)).toEqual([recent]);
  });

  it('reports InfluxDB down as unavailable and writes again once it is back, losing nothing', async () => {
    const store = storeOn();
    await store.init();
    const t0 = recentHour(2);
    const before = samplesOf('ac-0001', 'split-ac', t0, minuteMs, { [current]: [6.1, 6.2, 6.3] });
    const after = samplesOf('ac-0001', 'split-ac', t0 + 3 * minuteMs, minuteMs, { [current]: [6.4, 6.5] });
    await store.write(before);
    await influxd.stop();
    try {
      await expect(store.write(after)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.latest()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await influxd.start();
    }
    await store.ping();
    await store.write(after);
    const [series] = await store.querySeries({ deviceId: 'ac-0001', from: t0, to: t0 + hourMs });
    expect(series!.mean).toEqual([6.1, 6.2, 6.3, 6.4, 6.5]);
  });

  it('keeps a write that resolved even when influxd is killed right after', async () => {
    const store = storeOn();
    await store.init();
    const t0 = recentHour(2);
    await store.write(samplesOf('ac-0001', 'split-ac', t0, minuteMs, { [current]: [7.0, 7.1] }));
    await influxd.kill();
    await influxd.start();
    const [series] = await store.querySeries({ deviceId: 'ac-0001', from: t0, to: t0 + hourMs });
    expect(series!.mean).toEqual([7.0, 7.1]);
  });

  it('names the refused lines of a partial write and keeps the rest of the batch', async () => {
    const store = storeOn({ database: 'partial', linesPerRequest: 2 });
    await store.init();
    const t0 = recentHour(1);
    // Someone else wrote power_w as an integer: the one line that carries it as a float is refused.
    await fetch(`${influxd.url}/write?db=partial&rp=aftercare_raw&precision=ms`, {
      method: 'POST',
      body: `telemetry,device_id=ac-0009,model=split-ac power_w=900i ${t0}`,
    });
    const points = samplesOf('ac-0001', 'split-ac', t0, minuteMs, { [current]: [1, 2, 3, 4, 5] });
    points[2] = { ...points[2]!, metrics: { ...points[2]!.metrics, power_w: 950.5 } };
    const error = await store.write(points).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StoreRejectedError);
    expect((error as Error).message).toMatch(/lines 2–3: .*field type conflict/);
    const [series] = await store.querySeries({ deviceId: 'ac-0001', from: t0, to: t0 + hourMs });
    expect(series!.mean).toEqual([1, 2, 4, 5]);
  });

  it('rejects a metric whose field someone else wrote as an integer', async () => {
    const store = storeOn({ database: 'conflict' });
    await store.init();
    const t0 = recentHour(1);
    await fetch(`${influxd.url}/write?db=conflict&rp=aftercare_raw&precision=ms`, {
      method: 'POST',
      body: `telemetry,device_id=ac-0009,model=split-ac power_w=900i ${t0}`,
    });
    const write = store.write([
      { deviceId: 'ac-0001', model: 'split-ac', ts: t0, metrics: { power_w: 950.5 } },
    ]);
    await expect(write).rejects.toThrow(/field type conflict/);
  });

  it('refuses metric names the schema reserves for tags', async () => {
    const store = storeOn();
    await store.init();
    const write = store.write([
      { deviceId: 'ac-0001', model: 'split-ac', ts: recentHour(1), metrics: { model: 1 } },
    ]);
    await expect(write).rejects.toBeInstanceOf(StoreRejectedError);
  });

  describe('when the server does not answer', () => {
    let silent: Server;
    let port: number;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      port = await freePort();
      silent = createServer((socket) => {
        // Reading (and ignoring) the request lets the server notice when the client hangs up.
        socket.resume();
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('gives up after the timeout and reports the store unavailable', async () => {
      const store = createInfluxStore({
        url: `http://127.0.0.1:${port}`,
        database: 'x',
        retentionDays: 30,
        timeoutMs: 300,
      });
      const point = { deviceId: 'ac-0001', model: 'split-ac', ts: recentHour(1), metrics: { [current]: 1 } };
      await expect(store.write([point])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.init()).rejects.toBeInstanceOf(StoreUnavailableError);
      // Timed-out requests are ended, not left hanging on the socket.
      await expect.poll(() => sockets.size, { timeout: 2_000 }).toBe(0);
    });
  });
});

describe.skipIf(!hasInfluxd)('InfluxTelemetryStore with authentication', () => {
  let influxd: RunningInfluxd;
  const admin = { u: 'aftercare', p: "s3cret 'quoted' & =" };
  beforeAll(async () => {
    influxd = await startInfluxd({ authEnabled: true });
    // InfluxDB lets the first admin user be created without credentials.
    await influxql(
      influxd.url,
      `CREATE USER "aftercare" WITH PASSWORD 's3cret \\'quoted\\' & =' WITH ALL PRIVILEGES`,
    );
  });
  afterAll(async () => {
    await influxd?.dispose();
  });

  it('writes and reads with username and password', async () => {
    const store = createInfluxStore({
      url: influxd.url,
      database: 'secured',
      retentionDays: 30,
      username: admin.u,
      password: admin.p,
    });
    await store.init();
    const t0 = recentHour(1);
    await store.write([{ deviceId: 'ac-0001', model: 'split-ac', ts: t0, metrics: { [current]: 6.6 } }]);
    expect(await store.latest()).toEqual([{ deviceId: 'ac-0001', ts: t0, metrics: { [current]: 6.6 } }]);
  });

  it('treats wrong credentials as unavailable, so the data is kept for a retry', async () => {
    const store = createInfluxStore({
      url: influxd.url,
      database: 'secured',
      retentionDays: 30,
      username: admin.u,
      password: 'wrong',
    });
    const write = store.write([
      { deviceId: 'ac-0001', model: 'split-ac', ts: recentHour(1), metrics: { [current]: 1 } },
    ]);
    await expect(write).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(write).rejects.toThrow(/HTTP 401/);
  });
});
