import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AftercareError, catalog, createLogger, type Logger, loadConfig } from '@aftercare/core';
import type { DeviceSpec } from '@aftercare/device-sim';
import { requireBinary } from '@aftercare/ingest/testing';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, signIn as signInAs } from '../console/chromium.ts';
import { simulatedFleetSpecs } from '../models/sim-history.ts';
import { startPlatform } from '../platform.ts';
import { register, scoreRun, shownRiskDays, writeShownHistory } from './console-bench-fleet.ts';
import { type BenchRow, fmt, formatTable } from './table.ts';

/*
 * The console's speed in a real browser: the platform (SQLite store, console on) with a registered
 * fleet, risks for every device and a year of hourly history for the device shown; Debian's Chromium
 * driven by playwright-core signs a planner in and loads the overview and the device page, one cold
 * load then `runs` warm ones each. "Interactive" is navigation start → the page hydrated (the
 * `aftercare:interactive` mark its onMount sets) and, on the device page, its charts drawn.
 */

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const adminToken = 'bench-console-admin-token-0123456789';
const planner = {
  email: 'bench.planner@example.com',
  name: 'Bench Planner',
  password: 'bench planner password 42',
};
/** Sets a mark when the first uPlot chart is in the page: the device page is usable from then on. */
const chartObserver = `(() => {
  const seen = () => document.querySelector('.uplot canvas') !== null;
  new MutationObserver((_, observer) => {
    if (seen()) { performance.mark('aftercare:chart'); observer.disconnect(); }
  }).observe(document, { subtree: true, childList: true });
})();`;

export interface ConsoleSpeedOptions {
  /** Registered devices in the measured fleet. Default 10,000. */
  devices?: number;
  /** The reference fleet, measured in the same run. Default 50. */
  referenceDevices?: number;
  /** Warm loads of each page after its cold one. Default 10. */
  runs?: number;
  progress?: (message: string) => void;
  logger?: Logger;
}

interface LoadTiming {
  /** Navigation start → first byte of the server-rendered page. */
  ttfbMs: number;
  domContentLoadedMs: number;
  loadMs: number;
  /** Hydrated and (device page) charts drawn. */
  interactiveMs: number;
}

interface PageTimings {
  cold: LoadTiming;
  warm: LoadTiming[];
}

interface FleetRun {
  devices: number;
  overview: PageTimings;
  /** The device list, first page (worst first). */
  list: PageTimings;
  device: PageTimings;
  deviceYear: PageTimings;
  /** The API calls behind each page, from Node, warm: median ms. */
  api: {
    overview: number;
    list: number;
    device: number;
    deviceYear: number;
    listEverything: number;
    /** The shown device's risk over a year in day buckets (GET risk-trend), and its raw scores of 30 days. */
    riskYear: number;
    riskRaw30d: number;
  };
  shown: {
    id: string;
    samples: number;
    scores: number;
    points1y: number;
    points7d: number;
    riskPoints1y: number;
    rawScores30d: { returned: number; truncated: boolean };
  };
}

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const max = (xs: readonly number[]) => Math.max(...xs);

async function signIn(browser: Browser, base: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(chartObserver);
  const page = await context.newPage();
  await signInAs(page, base, planner);
  return page;
}

/** One full page load, timed by the browser's own clock from navigation start. */
async function timeLoad(page: Page, url: string, needsChart: boolean, expect: string): Promise<LoadTiming> {
  const response = await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  if (!response?.ok()) throw new Error(`${url} answered ${response?.status()}`);
  await page.waitForFunction(
    (chart) =>
      performance.getEntriesByName('aftercare:interactive').length > 0 &&
      (!chart || performance.getEntriesByName('aftercare:chart').length > 0),
    needsChart,
    { timeout: 60_000 },
  );
  const text = (await page.locator('main').textContent()) ?? '';
  if (!text.includes(expect)) throw new Error(`${url} does not show "${expect}"`);
  // Runs in the page (the browser's DOM types are not this package's): its own clock, from navigation start.
  return page.evaluate<LoadTiming>(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? 0;
    return {
      ttfbMs: nav.responseStart,
      domContentLoadedMs: nav.domContentLoadedEventEnd,
      loadMs: nav.loadEventEnd,
      interactiveMs: Math.max(mark('aftercare:interactive'), mark('aftercare:chart')),
    };
  })()`);
}

async function timePage(page: Page, url: string, needsChart: boolean, expect: string, runs: number) {
  const cold = await timeLoad(page, url, needsChart, expect);
  const warm: LoadTiming[] = [];
  for (let i = 0; i < runs; i++) warm.push(await timeLoad(page, url, needsChart, expect));
  return { cold, warm };
}

/** Median wall-clock ms of `fn` over `runs` calls, after one unmeasured call. */
async function timeApi(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** The pages and the API calls behind them, with the fleet as it is now. */
async function measurePages(
  page: Page,
  base: string,
  shown: DeviceSpec,
  count: number,
  runs: number,
  now: number,
): Promise<
  Omit<FleetRun, 'shown'> & {
    points1y: number;
    points7d: number;
    riskPoints1y: number;
    rawScores30d: FleetRun['shown']['rawScores30d'];
  }
> {
  const deviceUrl = `${base}/devices/${encodeURIComponent(shown.id)}`;
  const overview = await timePage(page, `${base}/`, false, count.toLocaleString('en'), runs);
  const list = await timePage(
    page,
    `${base}/devices`,
    false,
    `of ${count.toLocaleString('en')} devices`,
    runs,
  );
  const device = await timePage(page, deviceUrl, true, shown.id, runs);
  const deviceYear = await timePage(page, `${deviceUrl}?range=1y`, true, shown.id, runs);

  // The API calls behind the pages, alone, with the admin token from Node.
  const get = async (path: string) => {
    const res = await fetch(base + path, { headers: { authorization: `Bearer ${adminToken}` } });
    if (!res.ok) throw new Error(`${path} answered ${res.status}`);
    return res.json() as Promise<unknown>;
  };
  const metrics = catalog[shown.model].failureModes[0]!.signature.map((s) => s.metric).slice(0, 3);
  const telemetry = (range: number, step: string) =>
    get(
      `/api/devices/${shown.id}/telemetry?metrics=${metrics.join(',')}&from=${now - range}&to=${now}&step=${step}`,
    ) as Promise<{ series: { ts: number[] }[] }>;
  const points = async (range: number, step: string) =>
    Math.max(...(await telemetry(range, step)).series.map((s) => s.ts.length));
  const riskYear = () =>
    get(`/api/devices/${shown.id}/risk-trend?from=${now - 365 * dayMs}&to=${now}&step=1d`) as Promise<{
      components: { points: unknown[] }[];
    }>;
  // What the device page read before the trend: the raw scores of the window, at most 10,000.
  const riskRaw30d = () =>
    get(`/api/devices/${shown.id}/risks?from=${now - 30 * dayMs}&to=${now}&limit=10000`) as Promise<{
      items: unknown[];
      truncated: boolean;
    }>;
  const api = {
    overview: await timeApi(runs, () => get('/api/fleet/summary?top=12')),
    list: await timeApi(runs, () => get('/api/fleet/devices?limit=200')),
    device: await timeApi(runs, () => telemetry(7 * dayMs, '30m')),
    deviceYear: await timeApi(runs, () => telemetry(365 * dayMs, '1d')),
    riskYear: await timeApi(runs, riskYear),
    riskRaw30d: await timeApi(runs, riskRaw30d),
    // What the overview did before the summary: every device and every watch-level risk, paged.
    listEverything: await timeApi(Math.min(runs, 3), async () => {
      for (let offset = 0; offset < count; offset += 1000)
        await get(`/api/devices?limit=1000&offset=${offset}`);
      const first = (await get('/api/risks?minP=0.2&limit=500')) as { total: number };
      for (let offset = 500; offset < first.total; offset += 500)
        await get(`/api/risks?minP=0.2&limit=500&offset=${offset}`);
    }),
  };
  return {
    devices: count,
    overview,
    list,
    device,
    deviceYear,
    api,
    points1y: await points(365 * dayMs, '1d'),
    points7d: await points(7 * dayMs, '30m'),
    riskPoints1y: (await riskYear()).components.reduce((n, c) => n + c.points.length, 0),
    rawScores30d: await riskRaw30d().then((r) => ({ returned: r.items.length, truncated: r.truncated })),
  };
}

/**
 * One platform for both fleets: the reference fleet is registered and measured first, then the rest
 * of the devices join it and the same pages are measured again (one console build, one sign-in).
 */
async function measureFleets(
  browser: Browser,
  devices: number,
  referenceDevices: number,
  runs: number,
  progress: (m: string) => void,
  logger: Logger,
): Promise<{ big: FleetRun; small: FleetRun }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aftercare-bench-console-'));
  const config = loadConfig({
    AFTERCARE_DATA_DIR: dataDir,
    AFTERCARE_HTTP_PORT: '0',
    AFTERCARE_HOST: '127.0.0.1',
    AFTERCARE_MQTT_PORT: '0',
    AFTERCARE_MQTT_WS_PORT: '0',
    AFTERCARE_SIM_DEVICES: '0',
    AFTERCARE_ADMIN_TOKEN: adminToken,
    AFTERCARE_LOG_LEVEL: 'warn',
  });
  const platform = await startPlatform({ config, logger, console: true, scoring: false });
  try {
    const now = Date.now();
    const specs = simulatedFleetSpecs({
      seed: 5,
      devices: devices,
      days: 365,
      from: now - 365 * dayMs,
      failureRate: 0,
    });
    const shown = specs.find((s) => s.model === 'split-ac') ?? specs[0]!;
    const reference = [shown, ...specs.filter((s) => s !== shown).slice(0, referenceDevices - 1)];
    const rest = specs.filter((s) => !reference.includes(s));

    progress(`console: ${referenceDevices} devices registered, a year of hourly telemetry for ${shown.id}`);
    await register(platform, reference);
    const referenceRisks = await scoreRun(platform, reference, now - 2 * hourMs, shown.id);
    const { samples, scores } = await writeShownHistory(platform, shown, referenceRisks, now);
    await platform.repositories.users.create({ ...planner, role: 'planner' });
    const base = platform.httpUrl!;
    const page = await signIn(browser, base);
    try {
      progress(
        `console: ${referenceDevices} devices, overview, device list and device page, 1 cold + ${runs} warm loads each`,
      );
      const small = await measurePages(page, base, shown, referenceDevices, runs, now);
      progress(
        `console: registering ${rest.length.toLocaleString('en')} more devices, a scoring run over all`,
      );
      await register(platform, rest);
      // The next scoring run covers the whole fleet.
      await scoreRun(platform, specs, now - hourMs, shown.id);
      progress(
        `console: ${devices.toLocaleString('en')} devices, overview, device list and device page, 1 cold + ${runs} warm loads each`,
      );
      const big = await measurePages(page, base, shown, devices, runs, now);
      const shownFacts = (r: typeof big) => ({
        id: shown.id,
        samples,
        scores,
        riskPoints1y: r.riskPoints1y,
        rawScores30d: r.rawScores30d,
        points1y: r.points1y,
        points7d: r.points7d,
      });
      return { big: { ...big, shown: shownFacts(big) }, small: { ...small, shown: shownFacts(small) } };
    } finally {
      await page.context().close();
    }
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function summary(t: PageTimings) {
  const pick = (k: keyof LoadTiming) => t.warm.map((w) => w[k]);
  return {
    interactive: median(pick('interactiveMs')),
    interactiveMax: max(pick('interactiveMs')),
    dcl: median(pick('domContentLoadedMs')),
    load: median(pick('loadMs')),
    ttfb: median(pick('ttfbMs')),
    cold: t.cold.interactiveMs,
  };
}

/**
 * The bench rows for the console: overview, device list and device page interactive with `devices` registered
 * (default 10,000) and a year of hourly history for the device shown, against the same pages with
 * `referenceDevices` (default 50), and the API calls alone.
 */
export async function consoleSpeedBenchRows(options: ConsoleSpeedOptions = {}): Promise<BenchRow[]> {
  const progress = options.progress ?? (() => {});
  const logger = options.logger ?? createLogger({ level: 'warn' });
  const devices = options.devices ?? 10_000;
  const referenceDevices = options.referenceDevices ?? 50;
  const runs = options.runs ?? 10;
  if (!requireBinary('/usr/bin/chromium', 'chromium'))
    throw new AftercareError('BENCH_CHROMIUM_MISSING', 'chromium is not installed: apt-get install chromium');
  // The console's server logs through its own logger, configured from the environment when it loads.
  process.env.AFTERCARE_LOG_LEVEL ||= 'warn';
  const browser = await launchChromium();
  try {
    const { big, small } = await measureFleets(browser, devices, referenceDevices, runs, progress, logger);
    const fleet = (n: number) => `${n.toLocaleString('en')} devices`;
    const warm = `median of ${runs} warm loads`;
    const row = (
      what: string,
      data: string,
      b: ReturnType<typeof summary>,
      s: ReturnType<typeof summary>,
      apiMs: number,
      extra: string,
    ): BenchRow => ({
      what,
      data,
      figure: `${fmt.ms(b.interactive)} interactive (max ${fmt.ms(b.interactiveMax)}; first load ${fmt.ms(b.cold)})`,
      reference:
        `aim < 1 s; DOMContentLoaded ${fmt.ms(b.dcl)}, load ${fmt.ms(b.load)}, first byte ${fmt.ms(b.ttfb)}; ` +
        `${fleet(referenceDevices)}: ${fmt.ms(s.interactive)} interactive; API calls alone ${fmt.ms(apiMs)}${extra}`,
    });
    const shown = big.shown;
    return [
      row(
        'console: fleet overview in Chromium',
        `${fleet(devices)} with risks, planner, ${warm}`,
        summary(big.overview),
        summary(small.overview),
        big.api.overview,
        `; first load is right after a scoring run, when the service reads every newest risk once; listing every device and watch risk through the API instead (the overview before GET /api/fleet/summary) ${fmt.ms(big.api.listEverything)}`,
      ),
      row(
        'console: device list in Chromium',
        `${fleet(devices)} with risks, first page of 200 worst first, planner, ${warm}`,
        summary(big.list),
        summary(small.list),
        big.api.list,
        '; the service judges, orders and pages the fleet (GET /api/fleet/devices)',
      ),
      row(
        'console: device page, 7 days (default)',
        `${fleet(devices)}, ${shown.samples.toLocaleString('en')} hourly samples of ${shown.id} over a year, ${warm}`,
        summary(big.device),
        summary(small.device),
        big.api.device,
        `; ${shown.points7d} points per metric (30 min buckets)`,
      ),
      row(
        'console: device page, 1 year',
        `the same device, range=1y, ${warm}`,
        summary(big.deviceYear),
        summary(small.deviceYear),
        big.api.deviceYear,
        `; ${shown.points1y} points per metric (1 day buckets)`,
      ),
      {
        what: "API: a device's risk history, 1 year (the device page's risk chart)",
        data: `${shown.scores.toLocaleString('en')} scores of ${shown.id}, every 5 min over ${shownRiskDays} days (the last 30 raw, the rest in the daily rollup), ${fleet(devices)}, median of ${runs} warm calls`,
        figure: `${fmt.ms(big.api.riskYear)} for ${shown.riskPoints1y} points in day buckets (GET risk-trend)`,
        reference: `the raw scores of the last 30 days alone (GET risks, limit 10,000, what the page read before): ${fmt.ms(big.api.riskRaw30d)}, ${shown.rawScores30d.returned.toLocaleString('en')} scores${shown.rawScores30d.truncated ? ', cut to the latest (the chart showed the last days only)' : ''}`,
      },
    ];
  } finally {
    await browser.close();
  }
}

// `npx tsx cli/src/bench/console-speed.ts [--devices 10000] [--runs 10]`: the rows alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      devices: { type: 'string', default: '10000' },
      reference: { type: 'string', default: '50' },
      runs: { type: 'string', default: '10' },
    },
  });
  const loadAtStart = loadavg();
  const rows = await consoleSpeedBenchRows({
    devices: Number(values.devices),
    referenceDevices: Number(values.reference),
    runs: Number(values.runs),
    progress: (message) => process.stderr.write(`bench: ${message}\n`),
  });
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
  console.log(
    `\nAftercare console speed — ${new Date().toISOString()}, Node ${process.version}; load average (1, 5, 15 min) ${load(loadAtStart)} at the start, ${load(loadavg())} at the end\n`,
  );
  console.log(formatTable(rows));
}
