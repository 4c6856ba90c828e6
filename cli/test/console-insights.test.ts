import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@aftercare/core';
import { fleetSpecs, provisionDevices } from '@aftercare/device-sim';
import { requireBinary } from '@aftercare/ingest/testing';
import { createModelRegistry, initBackend, trainFleetModels } from '@aftercare/models';
import { demoAccounts, seedDemoWorld } from '@aftercare/service';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium, signIn as signInAs, watchErrors } from '../src/console/chromium.ts';
import { backfillDemoHistory, ensureDemoServiceHistory } from '../src/demo/demo-bootstrap.ts';
import { demoFleetDevices } from '../src/fleet-world.ts';
import { simulatedHistories } from '../src/models/sim-history.ts';
import type { RunningPlatform } from '../src/platform.ts';
import { startConsolePlatform } from './console-session.ts';
import type { Api } from './helpers.ts';

/*
 * The insight pages (trends, partner scorecards, models) in Chromium against the real platform with
 * the demo world and a year of its history, written the way `pnpm start` writes them: the simulator's
 * telemetry into the store, the service's tickets, visits, parts, feedback and claims through the
 * repositories. A planner signs in and reads real figures; no page logs a browser error.
 */

const hasChromium = requireBinary('/usr/bin/chromium', 'chromium');
vi.stubEnv('AFTERCARE_LOG_LEVEL', 'warn');
// The demo's region, where its technicians work: the page's twelve months and the API's are the same.
vi.stubEnv('AFTERCARE_TIMEZONE', 'Asia/Kolkata');
const screenshots = fileURLToPath(new URL('../../console/screenshots/', import.meta.url));
const adminToken = 'console-insights-admin-token-01';
const password = 'insight demo password';
const DAY_MS = 86_400_000;
const seed = 5;
const logger = createLogger({ level: 'warn' });

describe.skipIf(!hasChromium)('the insight pages in Chromium, over a year of demo history', () => {
  let dataDir: string;
  let platform: RunningPlatform;
  let api: Api;
  let base: string;
  let browser: Browser;
  /** Whether this platform serves GET /api/models (the registry wired into the API). */
  let modelsServed = false;

  async function signIn(width: number): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signInAs(page, base, { email: demoAccounts.planner, password });
    return { page, errors };
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    ({ dataDir, platform, base, api } = await startConsolePlatform({
      dataDirPrefix: 'aftercare-insights-',
      adminToken,
      screenshots,
    }));

    // The demo of `pnpm start`, smaller: devices, their year of telemetry, the world, its service history.
    const now = Date.now();
    const start = now - 2 * 3_600_000;
    const specs = fleetSpecs({ seed, devices: 24, start });
    await provisionDevices(base, adminToken, specs, { logger });
    const history = await backfillDemoHistory({
      store: platform.store,
      specs,
      days: 365,
      until: start,
      seed,
      dataDir,
      logger,
    });
    await seedDemoWorld({
      repositories: platform.repositories,
      devices: demoFleetDevices(specs),
      seed,
      now,
      demoPassword: password,
      logger,
    });
    await ensureDemoServiceHistory({ dataDir, specs, history, seed, logger });

    modelsServed = (await api.get('/api/models')).status === 200;
    if (modelsServed) {
      // One small real model, so the models page has a version and its evaluation to show.
      await initBackend('wasm', () => {});
      const fleet = (s: number, devices: number) =>
        simulatedHistories({ seed: s, devices, days: 90, models: { 'washing-machine': 1 }, failureRate: 8 });
      const [trained] = await trainFleetModels({
        histories: () => fleet(201, 24),
        validation: () => fleet(202, 12),
        trainingRange: { dataset: 'simulated-fleet', seed: 201, days: 90 },
        validationRange: { dataset: 'simulated-fleet', seed: 202, days: 90 },
        epochs: 4,
        hiddenUnits: [16],
      });
      await createModelRegistry({ dataDir }).save(trained!, { activate: true });
    } else {
      console.warn('!!! the platform does not serve GET /api/models yet: the models page must say so');
    }
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows failure trends by month, model and component, with filters that narrow them', async () => {
    const trends = (await api.get('/api/trends')).body;
    const caught = trends.months.reduce((s: number, m: { caught: number }) => s + m.caught, 0);
    const failed = trends.months.reduce((s: number, m: { failures: number }) => s + m.failures, 0);
    expect(caught + failed).toBeGreaterThan(10);

    const { page, errors } = await signIn(1280);
    await page.goto(`${base}/trends`, { waitUntil: 'networkidle' });
    const header = page.locator('.page-header');
    await expect(header.getByText('Failures that happened').isVisible()).resolves.toBe(true);
    await expect(header.locator('dd').nth(0).textContent()).resolves.toContain(String(failed));
    await expect(header.locator('dd').nth(1).textContent()).resolves.toContain(String(caught));
    // Twelve whole months, the current one to date: no partial month before them read as zero.
    await page.locator('.uplot canvas').nth(2).waitFor();
    const months = await page.locator('table.heat thead th.month').allTextContents();
    expect(months).toHaveLength(12);
    expect(months.at(-1)).toContain('to date');
    expect(months.slice(0, -1).join(' ')).not.toContain('to date');
    // Three uPlot charts drawn on canvases, and the tables by model and by component.
    await expect(page.locator('.uplot').count()).resolves.toBe(3);
    await expect(
      page.getByRole('cell', { name: 'Split air conditioner', exact: true }).isVisible(),
    ).resolves.toBe(true);
    await expect(page.locator('table.heat tbody tr').count()).resolves.toBeGreaterThan(3);
    // The legends name the series without "Time: –" placeholders waiting for the pointer.
    const legends = await page.locator('.u-legend').allTextContents();
    expect(legends).toHaveLength(3);
    for (const legend of legends) expect(legend).not.toMatch(/Time|–/);
    // At 1280 px nothing is cut off: the table by model (MTBF last) and all months of the heat map fit
    // their cards, a short card title stays on one line, and the cards do not touch.
    for (const table of ['table.models', 'table.heat']) {
      const fits = await page
        .locator(table)
        .evaluate((t) => t.parentElement!.scrollWidth <= t.parentElement!.clientWidth);
      expect(fits, table).toBe(true);
    }
    const rate = page.getByRole('heading', { name: 'Failure rate', exact: true });
    await expect(
      rate.evaluate(
        (h) =>
          h.getBoundingClientRect().height <
          2 * Number.parseFloat(h.ownerDocument.defaultView!.getComputedStyle(h).fontSize),
      ),
    ).resolves.toBe(true);
    const gaps = await page
      .locator('main .card')
      .evaluateAll((cards) =>
        cards
          .slice(1)
          .map((c, i) => c.getBoundingClientRect().top - cards[i]!.getBoundingClientRect().bottom),
      );
    expect(gaps.filter((g) => g >= 0 && g < 8)).toEqual([]);
    await shot(page, 'trends');
    // A small fleet: one failure moves its rate by several per 100, and the rate's card says so.
    const inService = trends.months.at(-1).devices as number;
    expect(inService).toBeLessThan(30);
    await expect(page.getByRole('note').textContent()).resolves.toContain(
      `Only ${inService} devices are in service under these filters: one failure moves the rate by ${(100 / inService).toFixed(1)} per 100.`,
    );

    await page.getByLabel('Model').selectOption('refrigerator');
    await page.waitForURL((url) => url.searchParams.get('model') === 'refrigerator');
    await page.locator('.uplot canvas').first().waitFor();
    const rows = await page.locator('table.data.cards-sm tbody tr').allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Refrigerator');

    // The last three months are September to November when it is November: each a whole month, the
    // first one counted from its first day.
    await page.goto(`${base}/trends?months=3`, { waitUntil: 'networkidle' });
    await page.locator('.uplot canvas').first().waitFor();
    await expect(page.locator('table.heat thead th.month').count()).resolves.toBe(3);

    const { page: phone, errors: phoneErrors } = await signIn(390);
    await phone.goto(`${base}/trends`, { waitUntil: 'networkidle' });
    await phone.locator('.uplot canvas').first().waitFor();
    // Nothing wider than the phone but the tables, which scroll inside their card.
    const overflow = await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(phone, 'trends-phone');
    expect([...errors, ...phoneErrors]).toEqual([]);
  });

  it('shows a scorecard for every service partner', async () => {
    const cards = (await api.get('/api/scorecards')).body.items;
    expect(cards.length).toBe(10);
    const busiest = [...cards].sort((a: { jobs: number }, b: { jobs: number }) => b.jobs - a.jobs)[0];
    expect(busiest.jobs).toBeGreaterThan(0);

    const { page, errors } = await signIn(1280);
    await page.goto(`${base}/partners`, { waitUntil: 'networkidle' });
    await expect(page.locator('table.data tbody tr').count()).resolves.toBe(10);
    const row = page.locator('tr', { hasText: busiest.name });
    await expect(row.locator('td').nth(1).textContent()).resolves.toContain(String(busiest.jobs));
    await expect(row.locator('td').nth(2).textContent()).resolves.toMatch(/\d+ %/);
    // Visits begun when booked, as the API counts them.
    const onTime = busiest.kpis.onTimeStartRate;
    expect(onTime).not.toBeNull();
    await expect(row.locator('td[data-label="On-time start"]').textContent()).resolves.toBe(
      `${Math.round(onTime * 100)} %`,
    );
    await shot(page, 'partners');

    const { page: phone, errors: phoneErrors } = await signIn(390);
    await phone.goto(`${base}/partners`, { waitUntil: 'networkidle' });
    await expect(phone.getByText(busiest.name).isVisible()).resolves.toBe(true);
    await shot(phone, 'partners-phone');
    expect([...errors, ...phoneErrors]).toEqual([]);
  });

  it('answers a filter naming an unknown region or partner (an old bookmark) with a 404 that says so', async () => {
    const { page } = await signIn(1280);
    for (const [path, words] of [
      ['/trends?region=Nowhere', 'There is no region "Nowhere" to show'],
      ['/trends?partner=partner-99', 'There is no partner "partner-99" to show'],
      ['/partners?partner=partner-99', 'There is no partner "partner-99" to show'],
      [
        '/partners?region=Nowhere&partner=partner-99',
        'There is no region "Nowhere" or no partner "partner-99"',
      ],
    ] as const) {
      const response = await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
      expect(response?.status(), path).toBe(404);
      await expect(page.getByText(words).isVisible(), path).resolves.toBe(true);
    }
    await page.context().close();
  });

  it('shows the model versions in use and how recent predictions turned out', async () => {
    const { page, errors } = await signIn(1280);
    await page.goto(`${base}/models`, { waitUntil: 'networkidle' });
    await expect(page.locator('section.model').count()).resolves.toBe(4);
    const washer = page.locator('section.model', { hasText: 'Front-load washing machine' });
    if (modelsServed) {
      await expect(washer.getByText('v1 active').isVisible()).resolves.toBe(true);
      await expect(washer.getByRole('cell', { name: 'Precision' }).isVisible()).resolves.toBe(true);
      // The field results say whose predictions they are: the active version's own, and all of them.
      await expect(washer.getByRole('heading', { name: 'Since v1 was trained' }).isVisible()).resolves.toBe(
        true,
      );
    } else {
      await expect(page.getByText('The model registry is not available here').isVisible()).resolves.toBe(
        true,
      );
    }
    // The field outcomes of the last three months come from the service's own tickets.
    const recent = (await api.get(`/api/trends?from=${Date.now() - 92 * DAY_MS}`)).body.models;
    const withData = recent.filter(
      (m: { predicted: number; failures: number }) => m.predicted + m.failures > 0,
    );
    expect(withData.length).toBeGreaterThan(0);
    await expect(page.getByText('Real fault found').count()).resolves.toBeGreaterThan(0);
    await expect(
      page.getByRole('heading', { name: 'Last three months in the field, all versions' }).count(),
    ).resolves.toBe(4);
    await shot(page, 'models');
    expect(errors).toEqual([]);
  });
});
