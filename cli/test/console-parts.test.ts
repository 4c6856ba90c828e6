import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireBinary } from '@aftercare/ingest/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium, signIn, watchErrors } from '../src/console/chromium.ts';
import type { RunningPlatform } from '../src/platform.ts';
import { type ConsolePlatform, startConsolePlatform } from './console-session.ts';
import type { Api } from './helpers.ts';

/*
 * What a parts planner does on the parts page, in Chromium against the running platform: mark a
 * defective unit received (refused at its row when its serial is not the one taken out), mark a
 * transfer arrived, call one back. The work behind it goes through the API as the service desk and
 * a technician would do it: a job booked, the technician on site fitting a compressor from a depot.
 */

const hasChromium = requireBinary('/usr/bin/chromium', 'chromium');
vi.stubEnv('AFTERCARE_LOG_LEVEL', 'warn');
const screenshots = fileURLToPath(new URL('../../console/screenshots/', import.meta.url));
const adminToken = 'console-parts-admin-token-01234';
const planner = { email: 'parts.planner@example.com', password: 'parts planner password 7' };
const ravi = { email: 'ravi.kumar@example.com', password: 'ravi technician password 3' };
const hour = 3_600_000;

describe.skipIf(!hasChromium)('the parts page in Chromium against the running platform', () => {
  let dataDir: string;
  let platform: RunningPlatform;
  let api: Api;
  let base: string;
  let at: ConsolePlatform['at'];
  let browser: Browser;
  let jobId: string;
  let depotId: string;
  const transferIds: string[] = [];
  let technicianId: string;
  let customerId: string;

  /** `POST`/`PUT` through the API as the admin (or `token`), expecting `status`. */
  async function call(method: string, path: string, body: unknown, status: number, token?: string) {
    const res = await api.request(method, path, body, token);
    expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBe(status);
    return res.body as { id: string };
  }

  const section = (page: Page, title: string) =>
    page.locator('section', { has: page.getByRole('heading', { name: title }) });

  beforeAll(async () => {
    ({ dataDir, platform, base, api, at } = await startConsolePlatform({
      dataDirPrefix: 'aftercare-console-parts-',
      adminToken,
      screenshots,
    }));
    const customer = await call(
      'POST',
      '/api/customers',
      { name: 'Lakshmi Iyer', kind: 'residential', contact: { email: 'lakshmi@example.com' } },
      201,
    );
    await call(
      'POST',
      '/api/devices',
      { id: 'sim-ac-00007', model: 'split-ac', customerId: customer.id },
      201,
    );
    const partner = await call(
      'POST',
      '/api/partners',
      { name: 'CoolFix Adyar', kind: 'authorised_centre', lat: 13.0, lon: 80.25, coverageRadiusKm: 25 },
      201,
    );
    const tech = await call(
      'POST',
      `/api/partners/${partner.id}/technicians`,
      {
        name: 'Ravi Kumar',
        home: { lat: 13.0, lon: 80.24 },
        workingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'Asia/Kolkata' },
        dailyCapacityMinutes: 600,
        skills: [{ skill: 'refrigeration', certificateId: 'RAC-7', certifiedUntil: Date.UTC(2035, 0, 1) }],
      },
      201,
    );
    technicianId = tech.id;
    customerId = customer.id;
    const warehouse = await call(
      'POST',
      '/api/stock-locations',
      { name: 'Chennai Central Warehouse', kind: 'central_warehouse', lat: 13.08, lon: 80.27 },
      201,
    );
    depotId = (
      await call(
        'POST',
        '/api/stock-locations',
        { name: 'Adyar depot', kind: 'partner_depot', partnerId: partner.id, lat: 13.0, lon: 80.25 },
        201,
      )
    ).id;
    for (const [location, sku] of [
      [depotId, 'AC-COMP'],
      [warehouse.id, 'AC-FILTER'],
      [warehouse.id, 'AC-CAP'],
    ] as const)
      await call('POST', `/api/stock-locations/${location}/receipts`, { sku, quantity: 6 }, 200);
    await platform.repositories.users.create({ ...planner, role: 'planner' });
    await platform.repositories.users.create({ ...ravi, role: 'technician', technicianId: tech.id });
    const { token: techToken } = await platform.repositories.tokens.create({
      name: 'ravi phone',
      role: 'technician',
      customerId: null,
      technicianId: tech.id,
    });

    // The job: booked, the technician on site, the worn compressor swapped from the depot.
    jobId = (
      await call(
        'POST',
        '/api/tickets',
        {
          kind: 'corrective',
          deviceId: 'sim-ac-00007',
          title: 'Not cooling, loud hum',
          description: 'Customer call',
        },
        201,
      )
    ).id;
    const start = Date.now() + hour;
    await call(
      'PUT',
      `/api/tickets/${jobId}/assignment`,
      {
        technicianId: tech.id,
        appointment: { start, end: start + 2 * hour },
        // Booked from now, whatever hour the suite runs at: overtime outside the technician's hours.
        outsideWorkingHours: true,
        reason: 'test: booked from now, whatever the hour',
      },
      200,
    );
    await call('POST', `/api/tickets/${jobId}/transitions`, { to: 'dispatched' }, 200, techToken);
    // The technician arrives as booked: work starts on the appointment's day, which may be tomorrow.
    await at(start, () =>
      call('POST', `/api/tickets/${jobId}/transitions`, { to: 'on_site' }, 200, techToken),
    );
    await call(
      'POST',
      `/api/tickets/${jobId}/parts-used`,
      { sku: 'AC-COMP', locationId: depotId, removedSerial: 'CMP-2291-A' },
      201,
      techToken,
    );
    for (const sku of ['AC-FILTER', 'AC-CAP'])
      transferIds.push(
        (
          await call(
            'POST',
            '/api/transfers',
            {
              fromLocationId: warehouse.id,
              toLocationId: depotId,
              sku,
              quantity: 2,
              etaAt: Date.now() + 5 * hour,
            },
            201,
          )
        ).id,
      );
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('fits the parts due back in their card at 1280 px: the serial box and its button whole', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, base, planner);
    await page.goto(`${base}/parts`, { waitUntil: 'networkidle' });
    const box = section(page, 'Defective parts due back').locator('.table-wrap');
    const fit = await box.evaluate((b) => ({
      wide: b.scrollWidth - b.clientWidth,
      tall: b.scrollHeight - b.clientHeight,
    }));
    expect(fit).toEqual({ wide: 0, tall: 0 });
    await context.close();
  });

  it('marks a defective unit received only with the serial taken out, and moves it to the received list', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await signIn(page, base, planner);
    const errors = watchErrors(page);
    await page.goto(`${base}/parts`, { waitUntil: 'networkidle' });
    const due = section(page, 'Defective parts due back');
    const row = due.locator('tbody tr', { hasText: 'Not cooling, loud hum' });
    await expect(row.getByText('Ravi Kumar').isVisible()).resolves.toBe(true);
    await expect(row.getByText('CMP-2291-A').isVisible()).resolves.toBe(true);
    await expect(row.getByText('under a day').isVisible()).resolves.toBe(true);

    await row.getByPlaceholder('serial on the unit').fill('CMP-0000-X');
    await row.getByRole('button', { name: 'Received' }).click();
    await expect(row.getByRole('alert').textContent()).resolves.toContain(
      'is not the one taken out on this job (CMP-2291-A)',
    );
    expect((await api.get(`/api/part-returns/received?ticketId=${jobId}`)).body.total).toBe(0);
    await page.screenshot({ path: join(screenshots, 'parts-return-refused.png'), fullPage: true });

    await due.getByLabel('Units are received at').selectOption({ label: 'Adyar depot' });
    await row.getByPlaceholder('serial on the unit').fill('cmp-2291-a');
    await row.getByRole('button', { name: 'Received' }).click();
    await row.waitFor({ state: 'detached' });
    await due.getByText('Every defective part has come back').waitFor();
    const received = (await api.get(`/api/part-returns/received?ticketId=${jobId}`)).body;
    expect(received.items).toEqual([
      expect.objectContaining({ sku: 'AC-COMP', serial: 'CMP-2291-A', locationId: depotId }),
    ]);
    await expect(
      section(page, 'Received back lately').getByText('Not cooling, loud hum').isVisible(),
    ).resolves.toBe(true);
    await page.screenshot({ path: join(screenshots, 'parts-return-received.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('marks a transfer arrived and calls another back, on a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    await signIn(page, base, planner);
    const errors = watchErrors(page);
    await page.goto(`${base}/parts`, { waitUntil: 'networkidle' });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow, '/parts scrolls sideways').toBeLessThanOrEqual(1);
    const transfers = section(page, 'Transfers on the road');
    const [filterId, capId] = transferIds;

    await transfers
      .locator(`tr[data-transfer="${filterId}"]`)
      .getByRole('button', { name: 'Arrived' })
      .click();
    await transfers.getByText('Arrived: the units now count at their destination.').waitFor();
    await transfers.locator(`tr[data-transfer="${filterId}"]`).waitFor({ state: 'detached' });

    const cap = transfers.locator(`tr[data-transfer="${capId}"]`);
    await cap.getByText('Call back').click();
    await cap.getByRole('button', { name: 'Call it back' }).click();
    await transfers.getByText('Called back: the units count at the place they left again.').waitFor();
    const statuses = (await api.get('/api/transfers?limit=10')).body.items.map(
      (t: { id: string; status: string }) => [t.id, t.status],
    );
    expect(Object.fromEntries(statuses)).toEqual({ [filterId!]: 'arrived', [capId!]: 'cancelled' });
    await page.screenshot({ path: join(screenshots, 'phone-parts-actions.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  /**
   * A job at a new site of the customer (a worn compressor unless `failureMode` says otherwise), booked
   * with the technician `hoursAhead` from now, with whatever the platform sourced for it called back
   * (the automation may source it meanwhile).
   */
  async function aJobWithoutItsPart(
    deviceId: string,
    site: { name: string; address: string; lat: number; lon: number },
    description: string,
    hoursAhead: number,
    failureMode = 'compressor_wear',
  ): Promise<{ id: string; start: number }> {
    const { id: siteId } = await call('POST', `/api/customers/${customerId}/sites`, site, 201);
    await call('POST', '/api/devices', { id: deviceId, model: 'split-ac', customerId, siteId }, 201);
    const job = await call('POST', '/api/tickets', { deviceId, description, failureMode }, 201);
    const start = Date.now() + hoursAhead * hour;
    await call(
      'PUT',
      `/api/tickets/${job.id}/assignment`,
      {
        technicianId,
        appointment: { start, end: start + hour },
        outsideWorkingHours: true,
        reason: 'test: booked from now, whatever the hour',
      },
      200,
    );
    const detail = (await api.get(`/api/tickets/${job.id}`)).body as {
      reservations: { id: string; status: string }[];
      transfers: { id: string; status: string }[];
    };
    for (const r of detail.reservations.filter((r) => r.status === 'reserved'))
      await call('POST', `/api/reservations/${r.id}/release`, undefined, 200);
    for (const t of detail.transfers.filter((t) => t.status === 'in_transit'))
      await call('POST', `/api/transfers/${t.id}/cancellation`, undefined, 200);
    return { id: job.id, start };
  }

  /** The ticket page of `jobId` in Chromium, signed in as the planner, and its Parts card. */
  async function ticketPartsAsPlanner(jobId: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, base, planner);
    const errors = watchErrors(page);
    await page.goto(`${base}/tickets/${jobId}`, { waitUntil: 'networkidle' });
    return { context, page, errors, parts: section(page, 'Parts') };
  }

  it("finds a job's part again from the ticket page once the transfer bringing it was called back", async () => {
    // A device at a site: the part is brought to where the technician works.
    const job = await aJobWithoutItsPart(
      'sim-ac-00008',
      { name: 'Adyar flat', address: '4 Gandhi Nagar, Adyar, Chennai', lat: 13.006, lon: 80.257 },
      'Loud hum, weak cooling',
      26,
    );

    const { context, page, errors, parts } = await ticketPartsAsPlanner(job.id);
    await parts.getByText(/is needed for this job and is neither reserved nor on its way/).waitFor();
    await parts.getByRole('button', { name: 'Find the part' }).click();
    await parts.getByText(/Reserved AC-COMP for this job|AC-COMP is on its way, expected/).waitFor();
    await parts.getByRole('button', { name: 'Find the part' }).waitFor({ state: 'detached' });
    const after = (await api.get(`/api/tickets/${job.id}`)).body as {
      reservations: { sku: string; status: string }[];
      transfers: { sku: string; status: string }[];
    };
    const holding = [
      ...after.reservations.filter((r) => r.status === 'reserved'),
      ...after.transfers.filter((t) => t.status === 'in_transit'),
    ];
    expect(holding.map((x) => x.sku)).toEqual(['AC-COMP']);
    await page.screenshot({ path: join(screenshots, 'ticket-part-found.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('flags a part that lands after the visit needs it, and swaps it for a unit that is there in time', async () => {
    const job = await aJobWithoutItsPart(
      'sim-ac-00009',
      { name: 'Besant Nagar house', address: '12 2nd Avenue, Besant Nagar, Chennai', lat: 13.0, lon: 80.266 },
      'Trips after a minute',
      30,
    );
    const { start } = job;
    const holding = async () =>
      (await api.get(`/api/tickets/${job.id}`)).body as {
        reservations: { id: string; sku: string; locationId: string; status: string }[];
        transfers: { id: string; status: string }[];
      };
    // The part comes the slow way, sent for a later visit than the one now booked.
    const warehouse = (
      (await api.get('/api/stock-locations?kind=central_warehouse')).body as { items: { id: string }[] }
    ).items[0]!.id;
    await call('POST', `/api/stock-locations/${warehouse}/receipts`, { sku: 'AC-COMP', quantity: 1 }, 200);
    const late = await call(
      'POST',
      '/api/transfers',
      {
        fromLocationId: warehouse,
        toLocationId: depotId,
        sku: 'AC-COMP',
        quantity: 1,
        etaAt: start + 2 * hour,
        ticketId: job.id,
      },
      201,
    );

    const { context, page, errors, parts } = await ticketPartsAsPlanner(job.id);
    await parts.getByText('too late', { exact: true }).waitFor();
    await parts
      .getByText(/Too late for the visit, which starts .*: a part should be in hand 30 min before/)
      .waitFor();
    // The part is not "missing": it is coming, only too late, so the page does not ask to find a missing one.
    expect(await parts.getByRole('button', { name: 'Find the part' }).count()).toBe(0);
    await page.screenshot({ path: join(screenshots, 'ticket-part-too-late.png'), fullPage: true });

    // The technician sees it on their phone before setting off, and is told to call the office.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const techPage = await phone.newPage();
    await signIn(techPage, base, ravi);
    await techPage.goto(`${base}/tech/${job.id}`, { waitUntil: 'networkidle' });
    const techParts = section(techPage, 'Parts');
    await techParts.getByText('too late', { exact: true }).waitFor();
    await techParts
      .getByText(/Too late for the visit, which starts [^:]+:[\s\S]*Call the office before you set off\./)
      .waitFor();
    expect(await techParts.getByRole('button', { name: 'Find a unit in time' }).count()).toBe(0);
    await techPage.screenshot({ path: join(screenshots, 'phone-part-too-late.png'), fullPage: true });
    expect(watchErrors(techPage)).toEqual([]);
    await phone.close();

    await parts.getByRole('button', { name: 'Find a unit in time' }).click();
    await parts.getByText(/Reserved AC-COMP for this job|AC-COMP is on its way, expected/).waitFor();
    await parts.getByText('too late', { exact: true }).waitFor({ state: 'detached' });
    const after = await holding();
    expect(after.transfers.find((t) => t.id === late.id)?.status).toBe('cancelled');
    expect([
      ...after.reservations.filter((r) => r.status === 'reserved'),
      ...after.transfers.filter((t) => t.status === 'in_transit'),
    ]).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('flags a part bound for the van of a technician who no longer has the job, and swaps it', async () => {
    const job = await aJobWithoutItsPart(
      'sim-ac-00011',
      { name: 'Mylapore flat', address: '3 Luz Church Road, Mylapore, Chennai', lat: 13.034, lon: 80.268 },
      'Loud hum, then nothing',
      36,
    );
    // The job was Suresh's when the compressor was sent to his van; it is Ravi's now.
    const partnerId = ((await api.get(`/api/technicians/${technicianId}`)).body as { partnerId: string })
      .partnerId;
    const suresh = await call(
      'POST',
      `/api/partners/${partnerId}/technicians`,
      {
        name: 'Suresh Babu',
        home: { lat: 13.1, lon: 80.2 },
        workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', timezone: 'Asia/Kolkata' },
        dailyCapacityMinutes: 480,
        skills: [{ skill: 'refrigeration', certificateId: 'RAC-9', certifiedUntil: Date.UTC(2035, 0, 1) }],
      },
      201,
    );
    const sureshVan = await call(
      'POST',
      '/api/stock-locations',
      { name: 'Van of Suresh Babu', kind: 'van', partnerId, technicianId: suresh.id, lat: 13.1, lon: 80.2 },
      201,
    );
    await call('POST', `/api/stock-locations/${depotId}/receipts`, { sku: 'AC-COMP', quantity: 1 }, 200);
    const astray = await call(
      'POST',
      '/api/transfers',
      {
        fromLocationId: depotId,
        toLocationId: sureshVan.id,
        sku: 'AC-COMP',
        quantity: 1,
        etaAt: job.start - 20 * hour,
        ticketId: job.id,
      },
      201,
    );

    const { context, page, errors, parts } = await ticketPartsAsPlanner(job.id);
    await parts.getByText('wrong van', { exact: true }).waitFor();
    await parts
      .getByText(
        /Bound for Van of Suresh Babu, whose technician no longer has this job: it will not be in hand/,
      )
      .waitFor();
    expect(await parts.getByRole('button', { name: 'Find the part' }).count()).toBe(0);
    await page.screenshot({ path: join(screenshots, 'ticket-part-wrong-van.png'), fullPage: true });

    await parts.getByRole('button', { name: 'Find a unit in time' }).click();
    await parts.getByText(/Reserved AC-COMP for this job|AC-COMP is on its way, expected/).waitFor();
    await parts.getByText('wrong van', { exact: true }).waitFor({ state: 'detached' });
    const after = (await api.get(`/api/tickets/${job.id}`)).body as {
      reservations: { sku: string; status: string }[];
      transfers: { id: string; sku: string; status: string }[];
    };
    expect(after.transfers.find((t) => t.id === astray.id)?.status).toBe('cancelled');
    expect(
      [
        ...after.reservations.filter((r) => r.status === 'reserved'),
        ...after.transfers.filter((t) => t.status === 'in_transit'),
      ].map((x) => x.sku),
    ).toEqual(['AC-COMP']);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('warns the planner who moves a visit before its part can arrive, when no unit can be there in time', async () => {
    // A refrigerant kit: the warehouse's only one is already on its way, for the visit as booked.
    const job = await aJobWithoutItsPart(
      'sim-ac-00010',
      {
        name: 'Thiruvanmiyur flat',
        address: '7 Beach Road, Thiruvanmiyur, Chennai',
        lat: 12.983,
        lon: 80.264,
      },
      'Cools less every week',
      48,
      'refrigerant_leak',
    );
    const warehouse = (
      (await api.get('/api/stock-locations?kind=central_warehouse')).body as { items: { id: string }[] }
    ).items[0]!.id;
    await call('POST', `/api/stock-locations/${warehouse}/receipts`, { sku: 'AC-RFG-KIT', quantity: 1 }, 200);
    const coming = { fromLocationId: warehouse, toLocationId: depotId, sku: 'AC-RFG-KIT', quantity: 1 };
    await call('POST', '/api/transfers', { ...coming, etaAt: job.start - 8 * hour, ticketId: job.id }, 201);

    const { context, page, errors, parts } = await ticketPartsAsPlanner(job.id);
    await parts.getByText('on its way', { exact: true }).waitFor();
    const assignment = section(page, 'Assignment and appointment');
    // The form books in quarter hours.
    const quarter = hour / 4;
    const sooner = new Date(Math.ceil((Date.now() + 6 * hour) / quarter) * quarter);
    await assignment.getByLabel('Date').fill(sooner.toISOString().slice(0, 10));
    await assignment.getByLabel('Start').fill(sooner.toISOString().slice(11, 16));
    await assignment.getByRole('button', { name: 'Reassign' }).click();
    await assignment
      .getByRole('alert')
      .getByText(
        /^Assigned: the technician sees the job in their list\. But AC-RFG-KIT arrives .+, too late for this visit, and no unit can be there in time/,
      )
      .waitFor();
    await parts.getByText('too late', { exact: true }).waitFor();
    await page.screenshot({ path: join(screenshots, 'ticket-reassign-part-too-late.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
  it('says on the fleet overview that nothing is scored yet, rather than calling every device healthy', async () => {
    // No model has scored this platform's devices: "healthy" would only mean online.
    expect((await api.get('/api/risks?limit=1')).body.items).toEqual([]);
    const { context, page, errors } = await ticketPartsAsPlanner(jobId);
    await page.goto(`${base}/`, { waitUntil: 'networkidle' });
    await page
      .getByRole('status')
      .getByText(/No device has been scored yet: until the models' first run, “healthy” means only/)
      .waitFor();
    await page.locator('.page-header').getByText('online, not scored yet').waitFor();
    await page.screenshot({ path: join(screenshots, 'overview-unscored.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('records on a phone a part fitted on site that the job had not reserved, taken from the van', async () => {
    // Ravi carries capacitors on his van; the job on site found one worn that nobody had reserved.
    const partnerId = ((await api.get(`/api/technicians/${technicianId}`)).body as { partnerId: string })
      .partnerId;
    const van = await call(
      'POST',
      '/api/stock-locations',
      { name: 'Van of Ravi Kumar', kind: 'van', partnerId, technicianId, lat: 13.0, lon: 80.24 },
      201,
    );
    await call('POST', `/api/stock-locations/${van.id}/receipts`, { sku: 'AC-CAP', quantity: 2 }, 200);

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await phone.newPage();
    await signIn(page, base, ravi);
    const errors = watchErrors(page);
    // The office's link to the ticket opens his job.
    await page.goto(`${base}/tickets/${jobId}`, { waitUntil: 'networkidle' });
    expect(new URL(page.url()).pathname).toBe(`/tech/${jobId}`);
    const parts = section(page, 'Parts');
    await parts.getByText('Fitted a part that was not reserved').click();
    await parts.getByLabel('Part').selectOption('AC-CAP');
    // His own van comes first; a capacitor goes back to the manufacturer, so its serial is asked for.
    expect(await parts.getByLabel('Taken from').inputValue()).toBe(van.id);
    // Never another technician's van (the service would refuse it): depots and the warehouse are shared.
    const from = await parts.getByLabel('Taken from').locator('option').allTextContents();
    expect(from.filter((name) => name.startsWith('Van of'))).toEqual(['Van of Ravi Kumar (your van)']);
    await parts.getByLabel(/Serial of the part taken out/).fill('CAP-7781-B');
    await page.screenshot({ path: join(screenshots, 'phone-loose-part.png'), fullPage: true });
    await parts.getByRole('button', { name: 'Record part fitted' }).click();
    await parts.getByText('Recorded: 1 × AC-CAP fitted.').waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow, '/tech/<id> scrolls sideways').toBeLessThanOrEqual(1);

    const detail = (await api.get(`/api/tickets/${jobId}`)).body as {
      partsUsed: { sku: string; locationId: string; removedSerial: string | null }[];
    };
    expect(detail.partsUsed).toContainEqual(
      expect.objectContaining({ sku: 'AC-CAP', locationId: van.id, removedSerial: 'CAP-7781-B' }),
    );
    const stock = (await api.get(`/api/stock-locations/${van.id}/stock`)).body as {
      items: { sku: string; onHand: number }[];
    };
    expect(stock.items.find((l) => l.sku === 'AC-CAP')?.onHand).toBe(1);
    expect(errors).toEqual([]);
    await phone.close();
  });

  /*
   * Text people type without spaces (a URL, serials run together) stays inside its card: the
   * technician's job on a phone and the planner's ticket page never scroll sideways because of a note
   * or a problem description. And a dispatch day that is not on the calendar gets the board's "not a
   * date" notice, as a malformed one does, instead of an error page.
   */
  describe('long unbroken text', () => {
    /** 30 serials run together: 300 characters with nowhere to break a line. */
    const serials = Array.from({ length: 30 }, (_, i) => `SN${String(i + 1).padStart(8, '0')}`).join('');
    let jobId: string;
    /** How far the page scrolls sideways past the window: 0 when everything fits. */
    const overflow = (page: Page) =>
      page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');

    beforeAll(async () => {
      await call('POST', '/api/devices', { id: 'sim-ac-00021', model: 'split-ac', customerId }, 201);
      jobId = (
        await call(
          'POST',
          '/api/tickets',
          {
            kind: 'corrective',
            deviceId: 'sim-ac-00021',
            title: 'Trips when the compressor starts',
            description: `Trips when the compressor starts. The units fitted last year: ${serials}`,
          },
          201,
        )
      ).id;
      const start = Date.now() + 60 * hour;
      await call(
        'PUT',
        `/api/tickets/${jobId}/assignment`,
        {
          technicianId,
          appointment: { start, end: start + 2 * hour },
          outsideWorkingHours: true,
          reason: 'test: booked from now, whatever the hour',
        },
        200,
      );
      await call(
        'POST',
        `/api/tickets/${jobId}/notes`,
        { text: `Customer sent the serials: ${serials}` },
        201,
      );
    });

    it("keeps a note's unbroken serials inside the technician's job page on a phone", async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
      const page = await context.newPage();
      await signIn(page, base, ravi);
      const errors = watchErrors(page);
      await page.goto(`${base}/tech/${jobId}`, { waitUntil: 'networkidle' });
      await page.getByText(`Customer sent the serials: ${serials}`).waitFor();
      expect(await overflow(page), '/tech/<id> scrolls sideways').toBeLessThanOrEqual(0);
      // What the customer reported, opened, wraps too.
      await page.getByText('What was reported').click();
      await page.getByText(`The units fitted last year: ${serials}`).waitFor();
      await page.screenshot({ path: join(screenshots, 'phone-job-long-text.png'), fullPage: true });
      expect(await overflow(page), '/tech/<id> with the report open scrolls sideways').toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
      await context.close();
    });

    it("keeps the problem's and a note's unbroken serials inside the planner's ticket page", async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await signIn(page, base, planner);
      const errors = watchErrors(page);
      await page.goto(`${base}/tickets/${jobId}`, { waitUntil: 'networkidle' });
      await page.getByText(`The units fitted last year: ${serials}`).waitFor();
      await page.getByText(`Customer sent the serials: ${serials}`).waitFor();
      await page.screenshot({ path: join(screenshots, 'ticket-long-text.png'), fullPage: true });
      expect(await overflow(page), '/tickets/<id> scrolls sideways').toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
      await context.close();
    });

    it('says a dispatch day that is not on the calendar is not a date, and shows today', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await signIn(page, base, planner);
      // The last one asked is the one in the screenshot: 30 February, which answered a 500.
      for (const date of ['26-1-5', '2026-13-01', '2026-01-00', '2026-04-31', '2026-02-30']) {
        const res = await page.goto(`${base}/dispatch?date=${date}`, { waitUntil: 'networkidle' });
        expect(res?.status(), date).toBe(200);
        await page
          .getByRole('status')
          .getByText(`“${date}” is not a date (YYYY-MM-DD): showing today instead.`)
          .waitFor();
      }
      await page.screenshot({ path: join(screenshots, 'dispatch-impossible-date.png'), fullPage: true });
      await context.close();
    });
  });
});
