import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkingHours } from '@aftercare/core';
import { createLogger, type Risk } from '@aftercare/core';
import { requireBinary } from '@aftercare/ingest/testing';
import {
  createDatabase,
  createRiskSink,
  type RiskAutomation,
  type ServiceDatabase,
  seedDemoWorld,
} from '@aftercare/service';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium, signIn as signInAs, watchErrors } from '../src/console/chromium.ts';
import { demoFleetDevices } from '../src/fleet-world.ts';
import type { RunningPlatform } from '../src/platform.ts';
import { type ConsoleFleet, type PlantedFailure, seedConsoleFleet } from './console-fleet.ts';
import { type ConsolePlatform, startConsolePlatform } from './console-session.ts';
import { type Api, freeStart, inWorkingHours, listedDeviceIds } from './helpers.ts';

/*
 * The ticket pages in a real browser against the real platform: the simulated fleet with its history,
 * the demo world around it (customers, partners, technicians, stock, contracts, the three demo
 * accounts), and risks handed to the service's own risk automation, which opens the predictive
 * tickets, reserves their parts and dispatches technicians. Debian's Chromium driven by playwright-core.
 */

const hasChromium = requireBinary('/usr/bin/chromium', 'chromium');
vi.stubEnv('AFTERCARE_LOG_LEVEL', 'warn');
const screenshots = fileURLToPath(new URL('../../console/screenshots/', import.meta.url));
const adminToken = 'console-tickets-admin-token-0123';
const password = 'tickets demo password 42';
const accounts = {
  planner: 'planner@aftercare.local',
  technician: 'technician@aftercare.local',
  customer: 'customer@aftercare.local',
};
const hourMs = 3_600_000;

/**
 * What the tests' own bookings through the API send: the visit is booked from now, whatever hour
 * the suite runs at, so it is agreed overtime when that falls outside the technician's hours.
 */
const nowWhateverTheHour = {
  outsideWorkingHours: true,
  reason: 'test: booked from now, whatever the hour the suite runs at',
};

/** The next Sunday's date in India, a day off for every demo technician. */
function nextSundayInIndia(): string {
  const india = (ts: number) => new Date(ts + 330 * 60_000);
  let at = Date.now() + 24 * hourMs;
  while (india(at).getUTCDay() !== 0) at += 24 * hourMs;
  return india(at).toISOString().slice(0, 10);
}

/** Tomorrow's date in India, or the Monday after when tomorrow is Sunday, the demo network's day off. */
function nextWorkingDateInIndia(): string {
  const india = (ts: number) => new Date(ts + 330 * 60_000);
  let at = Date.now() + 24 * hourMs;
  if (india(at).getUTCDay() === 0) at += 24 * hourMs;
  return india(at).toISOString().slice(0, 10);
}

describe.skipIf(!hasChromium)('the ticket pages in Chromium against the running platform', () => {
  let dataDir: string;
  let platform: RunningPlatform;
  let fleet: ConsoleFleet;
  let db: ServiceDatabase;
  let automation: RiskAutomation;
  let api: Api;
  let base: string;
  let at: ConsolePlatform['at'];
  let browser: Browser;
  let customerId: string;
  let technicianId: string;

  /** The newest fixture risk of a planted failure, scored now and high enough to open a ticket. */
  function riskNow(planted: PlantedFailure, pFail = 0.88): Risk {
    const latest = fleet.risks
      .filter((r) => r.deviceId === planted.deviceId && r.component === planted.component)
      .sort((a, b) => b.scoredAt - a.scoredAt)[0]!;
    const now = Date.now();
    return { ...latest, pFail: Math.max(latest.pFail, pFail), scoredAt: now, dataUntil: now };
  }

  async function signIn(context: BrowserContext, email: string, path?: string): Promise<Page> {
    const page = await context.newPage();
    await signInAs(page, base, { email, password, redirectTo: path });
    return page;
  }

  async function shot(page: Page, name: string): Promise<void> {
    // From the top, so that the sticky bar of the phone layout sits where a person sees it.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  }

  /** A browser context the size of a phone, touch and all. */
  const phoneContext = () =>
    browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  /** A problem reported on the demo customer's first device; answers its ticket's id. */
  async function reportOnCustomerDevice(title: string, description: string): Promise<string> {
    const device = (await api.get(`/api/devices?customerId=${customerId}&limit=1`)).body.items[0].id;
    const created = await api.request('POST', '/api/tickets', {
      kind: 'corrective',
      deviceId: device,
      title,
      description,
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  /**
   * A repair of `deviceId`, booked ahead (as the API books visits, never in the past), done on its day
   * by the service's clock and closed: a visit waiting for its customer's rating. Answers the ticket.
   */
  async function closedVisit(
    deviceId: string,
    description: string,
    fix: string,
  ): Promise<{ id: string; coverage: string }> {
    const opened = await api.request('POST', '/api/tickets', { kind: 'corrective', deviceId, description });
    expect(opened.status).toBe(201);
    const visitId = opened.body.id as string;
    const anyTechnician = (await api.get('/api/technicians?status=active&limit=1')).body.items[0].id;
    const start = await freeStart(api, anyTechnician, Date.now() + hourMs, 60);
    expect(
      (
        await api.request('PUT', `/api/tickets/${visitId}/assignment`, {
          technicianId: anyTechnician,
          appointment: { start, end: start + hourMs },
          ...nowWhateverTheHour,
        })
      ).status,
    ).toBe(200);
    expect(
      (await api.request('POST', `/api/tickets/${visitId}/transitions`, { to: 'dispatched' })).status,
    ).toBe(200);
    await at(start, async () => {
      for (const step of [{ to: 'on_site' }, { to: 'resolved', reason: fix }, { to: 'closed' }])
        expect((await api.request('POST', `/api/tickets/${visitId}/transitions`, step)).status).toBe(200);
    });
    return opened.body;
  }

  /** Waits until the page's live connection is open, so that what happens next reaches it. */
  async function waitLive(page: Page): Promise<void> {
    await page
      .getByRole('status')
      .filter({ hasText: /^Live$/ })
      .first()
      .waitFor({ timeout: 30_000 });
  }

  beforeAll(async () => {
    ({ dataDir, platform, base, api, at } = await startConsolePlatform({
      dataDirPrefix: 'aftercare-console-tickets-',
      adminToken,
      screenshots,
    }));
    fleet = await seedConsoleFleet(platform, { devices: 16 });
    const logger = createLogger({ level: 'silent' });
    const demo = await seedDemoWorld({
      repositories: platform.repositories,
      devices: demoFleetDevices(fleet.specs),
      seed: 11,
      now: Date.now(),
      demoPassword: password,
      logger,
    });
    customerId = demo.customerId!;
    technicianId = demo.technicianId!;
    await platform.amc?.runOnce();
    // The service's own risk automation on the platform's repositories and event bus: what the
    // scoring job hands its risks to. (Its database handle is only used to raise a ticket's priority.)
    db = await createDatabase({ dataDir });
    automation = createRiskSink({ repositories: platform.repositories, db, logger });
    const opening = fleet.planted.filter((p) => p.model === 'split-ac' || p.model === 'washing-machine');
    await automation.handleRisks(opening.map((p) => riskNow(p)));
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await fleet?.stop();
    await platform?.stop();
    await db?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows a planner the tickets as a list and a board, and a ticket with its evidence and history', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, accounts.planner, '/tickets');
    const errors = watchErrors(page);
    expect(new URL(page.url()).pathname).toBe('/tickets');

    const listed = (await api.get('/api/tickets?limit=50')).body;
    expect(listed.total).toBeGreaterThan(0);
    const rows = page.locator('tbody tr[data-ticket]');
    await expect(rows.count()).resolves.toBe(Math.min(50, listed.total));
    await expect(page.locator('.filters .count').textContent()).resolves.toContain(`${listed.total} ticket`);
    await shot(page, 'tickets');

    // Filters and sorting are the API's: predictive only, soonest SLA first.
    await page.getByLabel('Kind').selectOption('predictive');
    await page.waitForURL(/kind=predictive/);
    await page.getByRole('link', { name: /SLA due/ }).click();
    await page.waitForURL(/sort=sla/);
    const predictive = (await api.get('/api/tickets?kind=predictive&sort=sla&limit=50')).body;
    expect(predictive.total).toBeGreaterThan(0);
    await expect(
      page
        .locator('tbody tr[data-ticket]')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ticket'))),
    ).resolves.toEqual(predictive.items.map((t: { id: string }) => t.id));

    await page.getByRole('link', { name: 'Board' }).click();
    await page.waitForURL(/view=board/);
    await page.getByRole('list', { name: 'Tickets by status' }).waitFor();
    for (const column of ['Open', 'Scheduled', 'Dispatched', 'On site', 'Resolved', 'Verified / closed'])
      await expect(page.getByRole('heading', { name: column, exact: true }).isVisible()).resolves.toBe(true);
    // An empty column folds to a narrow lane (its name and 0); the columns with cards take the width.
    const widths = await page
      .locator('.board .column')
      .evaluateAll((cols) =>
        cols.map((c) => ({ empty: c.classList.contains('empty'), width: c.getBoundingClientRect().width })),
      );
    expect(widths.some((c) => c.empty)).toBe(true);
    for (const c of widths) expect(c.width).toSatisfy((w: number) => (c.empty ? w <= 48 : w >= 200));
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await shot(page, 'tickets-board');

    // A predictive ticket's page: the risk, the model version, the drivers in words, steps, parts, history.
    const ticket = predictive.items[0] as { id: string; title: string; deviceId: string };
    await page.goto(`${base}/tickets/${ticket.id}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(ticket.title);
    const why = page.getByRole('region', { name: 'Why this ticket exists' });
    await expect(why.textContent()).resolves.toContain('test-fixture');
    await expect(why.textContent()).resolves.toMatch(/over \d+ days/);
    // The score is the one the ticket was opened on, and says so.
    await expect(why.textContent()).resolves.toContain('scored at opening');
    await expect(
      page.getByRole('region', { name: 'Troubleshooting steps' }).locator('li').count(),
    ).resolves.toBeGreaterThan(0);
    await expect(page.getByRole('region', { name: 'Timeline' }).textContent()).resolves.toContain(
      'by the automation',
    );

    // Whom to ask for and where to go: the customer, the site's address and a map link at its position.
    const where = (await api.get(`/api/tickets/${ticket.id}`)).body.place;
    expect(where.site).not.toBeNull();
    const placeCard = page.getByRole('region', { name: 'Customer and site' });
    await expect(placeCard.textContent()).resolves.toContain(where.customer.name);
    await expect(placeCard.textContent()).resolves.toContain(where.site.address);
    const mapHref = await placeCard.getByRole('link', { name: /Open in map/ }).getAttribute('href');
    expect(mapHref).toContain(`https://www.openstreetmap.org/?mlat=${where.site.lat.toFixed(5)}`);

    // Remote troubleshooting: the fix that applies (or why none does), and the ping every device answers.
    const remote = page.getByRole('region', { name: 'Remote troubleshooting' });
    await expect(remote.textContent()).resolves.toMatch(
      /Clears .* without a visit|No remote fix applies to this failure mode/,
    );
    await remote
      .getByRole('listitem')
      .filter({ hasText: 'diagnostic' })
      .getByRole('button', { name: 'Send' })
      .click();
    await remote
      .getByRole('list', { name: 'Commands sent' })
      .getByText('ping', { exact: true })
      .first()
      .waitFor();
    const commands = (await api.get(`/api/tickets/${ticket.id}/commands`)).body;
    expect(commands.sent.map((c: { command: string }) => c.command)).toContain('ping');

    // A planner's note goes into the ticket and its timeline.
    await page.getByLabel('New note').fill('Customer prefers a morning visit.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page
      .getByRole('region', { name: 'Notes' })
      .getByText('Customer prefers a morning visit.')
      .waitFor();
    const detail = (await api.get(`/api/tickets/${ticket.id}`)).body;
    expect(detail.notes.map((n: { text: string }) => n.text)).toContain('Customer prefers a morning visit.');
    await shot(page, 'ticket');

    // Assigning by hand: a technician with the skill the job needs, at their first free hour from
    // 10:00 on the next working day (the demo network works Monday to Saturday).
    const skill = detail.requiredSkill as string | null;
    const qualified = (
      await api.get(`/api/technicians?status=active${skill ? `&skill=${skill}` : ''}&limit=1`)
    ).body.items[0] as {
      id: string;
      name: string;
      workingHours: WorkingHours;
    };
    const inHours = inWorkingHours(qualified.workingHours);
    const tenOClock = Date.parse(`${nextWorkingDateInIndia()}T10:00:00+05:30`);
    const free = await freeStart(api, qualified.id, tenOClock, 60, inHours);
    // Another job of theirs later, at another site: the form lists the day's visits, flags a time
    // that overlaps one before it is sent, and the service refuses it.
    const here = (await api.get(`/api/devices/${ticket.deviceId}`)).body.siteId as string | null;
    const elsewhere = (await api.get('/api/devices?limit=100')).body.items.find(
      (d: { siteId: string | null }) => d.siteId !== null && d.siteId !== here,
    ) as { id: string };
    const other = await api.request('POST', '/api/tickets', {
      kind: 'corrective',
      deviceId: elsewhere.id,
      title: 'Remote control does not respond',
      description: 'Booked by the service desk',
    });
    expect(other.status).toBe(201);
    const otherStart = await freeStart(api, qualified.id, free + 3 * hourMs, 60, inHours);
    const otherBooked = await api.request('PUT', `/api/tickets/${other.body.id}/assignment`, {
      technicianId: qualified.id,
      appointment: { start: otherStart, end: otherStart + hourMs },
    });
    expect(otherBooked.status).toBe(200);

    const assignment = page.getByRole('region', { name: 'Assignment and appointment' });
    // The form's date and time are on the console's clock, the zone the form names.
    const zone = await assignment.locator('input[name="timezone"]').inputValue();
    const onConsoleClock = (ts: number) => {
      const parts = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).formatToParts(ts);
      const part = (type: string) => parts.find((p) => p.type === type)?.value;
      return {
        date: `${part('year')}-${part('month')}-${part('day')}`,
        time: `${part('hour')}:${part('minute')}`,
      };
    };
    await assignment.getByLabel('Technician').selectOption(qualified.id);
    await assignment.getByLabel('Start').fill(onConsoleClock(free).time);
    await assignment.getByLabel('Duration').selectOption('60');
    // A Sunday is nobody's working day here: the service says so, and the booking stays as it was.
    const before = (await api.get(`/api/tickets/${ticket.id}`)).body;
    await assignment.getByLabel('Date').fill(nextSundayInIndia());
    // The form says so first, in the service's words (core's reading of the hours).
    await assignment
      .getByRole('status')
      .getByText(new RegExp(`^Sunday is not one of ${qualified.name}'s working days \\(.+\\): tick Overtime`))
      .waitFor();
    await assignment.getByRole('button', { name: /Assign and schedule|Reassign/ }).click();
    await assignment
      .getByRole('alert')
      .getByText(/Sunday is not one of .* working days/)
      .waitFor();
    const refused = (await api.get(`/api/tickets/${ticket.id}`)).body;
    expect([refused.technicianId, refused.appointment]).toEqual([before.technicianId, before.appointment]);

    // The other job's hour: listed for that day, flagged, and refused by the service, naming it.
    await assignment.getByLabel('Date').fill(onConsoleClock(otherStart).date);
    await assignment.getByLabel('Start').fill(onConsoleClock(otherStart).time);
    const theirDay = assignment.getByLabel('Booked that day');
    await theirDay.getByRole('link', { name: 'Remote control does not respond' }).waitFor();
    await assignment.getByText(/^Overlaps .* visit at .*: the service will refuse it\./).waitFor();
    await assignment.getByRole('button', { name: /^start at \d\d:\d\d$/ }).waitFor();
    await shot(page, 'ticket-assign-overlap');
    await assignment.getByRole('button', { name: /Assign and schedule|Reassign/ }).click();
    await assignment
      .getByRole('alert')
      .getByText(new RegExp(`^${qualified.name} is booked .* for "Remote control does not respond"`))
      .waitFor();
    await expect(
      assignment.getByRole('alert').getByRole('link', { name: 'open that ticket' }).getAttribute('href'),
    ).resolves.toBe(`/tickets/${other.body.id}`);
    const stillAsBefore = (await api.get(`/api/tickets/${ticket.id}`)).body;
    expect([stillAsBefore.technicianId, stillAsBefore.appointment]).toEqual([
      before.technicianId,
      before.appointment,
    ]);

    // Their free hour goes through, and the day now lists this job.
    await assignment.getByLabel('Date').fill(onConsoleClock(free).date);
    await assignment.getByLabel('Start').fill(onConsoleClock(free).time);
    await expect(assignment.getByText(/the service will refuse it/).count()).resolves.toBe(0);
    await assignment.getByRole('button', { name: /Assign and schedule|Reassign/ }).click();
    await assignment.getByText('Assigned: the technician sees the job in their list.').waitFor();
    const assigned = (await api.get(`/api/tickets/${ticket.id}`)).body;
    expect(assigned).toMatchObject({ status: 'scheduled', technicianId: qualified.id });
    expect(assigned.appointment).toEqual({ start: free, end: free + hourMs });
    await theirDay.getByText('this job').waitFor();
    await expect(assignment.textContent()).resolves.toContain(qualified.name);
    await expect(page.getByRole('region', { name: 'Timeline' }).textContent()).resolves.toMatch(
      /Technician assigned|Reassigned/,
    );

    // Overtime on the Sunday, agreed with them: booked, and the form then shows the booking without
    // asking again for the overtime it was given.
    await assignment.getByLabel('Date').fill(nextSundayInIndia());
    await assignment.getByText(/tick Overtime/).waitFor();
    await assignment.getByRole('checkbox', { name: /Overtime/ }).check();
    await assignment.getByRole('textbox', { name: /Reason/ }).fill('agreed with them by phone');
    await assignment.getByRole('button', { name: /Assign and schedule|Reassign/ }).click();
    await assignment.getByText('Assigned: the technician sees the job in their list.').waitFor();
    expect(await assignment.getByRole('checkbox', { name: /Overtime/ }).isChecked()).toBe(false);
    await expect(assignment.getByText(/tick Overtime/).count()).resolves.toBe(0);
    await assignment.getByText(`Booked outside ${qualified.name}'s working hours, as overtime.`).waitFor();
    // The lengths offered run shortest first.
    const lengths = await assignment.getByLabel('Duration').locator('option').allTextContents();
    expect(lengths).toEqual(['30 min', '1 h', '1 h 30 min', '2 h', '3 h', '4 h']);

    const missing = await page.goto(`${base}/tickets/no-such-ticket`);
    expect(missing?.status()).toBe(404);
    await expect(
      page.getByText('There is no ticket "no-such-ticket" that you can see.').isVisible(),
    ).resolves.toBe(true);
    expect(errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
    await context.close();
  });

  it('shows a predictive ticket the automation opens on the tickets page without a reload', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, accounts.planner, '/tickets');
    const errors = watchErrors(page);
    await waitLive(page);
    // Marks this document: a reload would start a new one without the mark.
    await page.evaluate('window.sameDocument = true');
    const before = (await api.get('/api/tickets?limit=1')).body.total as number;

    const fridge = fleet.planted.find((p) => p.model === 'refrigerator')!;
    const [handling] = await automation.handleRisks([riskNow(fridge)]);
    expect(handling?.outcome).toMatch(/opened|folded/);
    const ticketId = handling!.ticketId!;

    // A risk on a device with an open ticket folds into it (the demo history may have left one): the
    // row is then marked as changed, and the count stays.
    const opened = handling!.outcome === 'opened' ? 1 : 0;
    const row = page.locator(`tbody tr[data-ticket="${ticketId}"]`);
    await row.waitFor({ timeout: 30_000 });
    await expect.poll(() => row.getAttribute('class'), { timeout: 30_000 }).toContain('fresh');
    await expect(page.locator('.filters .count').textContent()).resolves.toContain(
      `${before + opened} ticket`,
    );
    await expect(page.evaluate('window.sameDocument === true')).resolves.toBe(true);
    await shot(page, 'tickets-live');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets a technician accept, start, fit the reserved part and resolve a job on a phone', async () => {
    // The split AC's predictive job goes to the demo technician (certified for refrigeration), today.
    const ac = fleet.planted.find((p) => p.model === 'split-ac')!;
    const job = (await api.get(`/api/tickets?deviceId=${ac.deviceId}&kind=predictive&limit=1`)).body.items[0];
    expect(job).toBeDefined();
    // The first two hours the demo technician (the busiest of all) has free.
    const start = await freeStart(api, technicianId, Date.now() + hourMs, 120);
    const assigned = await api.request('PUT', `/api/tickets/${job.id}/assignment`, {
      technicianId,
      appointment: { start, end: start + 2 * hourMs },
      outsideWorkingHours: true,
      reason: 'test: the demo technician takes it now, whatever the hour the suite runs at',
    });
    expect(assigned.status).toBe(200);

    const context = await phoneContext();
    const page = await signIn(context, accounts.technician);
    const errors = watchErrors(page);
    expect(new URL(page.url()).pathname).toBe('/tech');
    const card = page.locator(`li.job[data-ticket="${job.id}"]`);
    await card.waitFor();
    await expect(page.getByRole('heading', { name: /Today/ }).isVisible()).resolves.toBe(true);
    // The card says where the job is: the customer, the area of the city, a map of the site.
    const jobPlace = (await api.get(`/api/tickets/${job.id}`)).body.place as {
      customer: { name: string };
      site: { address: string; lon: number };
    };
    const area = jobPlace.site.address
      .split(',')
      .map((p) => p.trim())
      .at(-2)!;
    await expect(card.locator('.place').textContent()).resolves.toContain(jobPlace.customer.name);
    await expect(card.locator('.place').textContent()).resolves.toContain(area);
    await expect(card.getByRole('link', { name: /^Map of / }).getAttribute('href')).resolves.toContain(
      `mlon=${jobPlace.site.lon.toFixed(5)}`,
    );
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(page, 'tech-jobs');

    await card.getByRole('button', { name: 'Accept job' }).click();
    // The technician starts on the appointment's day (the service's clock, held there until the
    // card shows the job started), which is tomorrow when the suite runs near midnight in India.
    const workLink = card.getByRole('link', { name: 'Parts, notes, resolve' });
    const heldBack = card.locator('.starts');
    await expect
      .poll(
        async () =>
          (await heldBack.count()) + (await card.getByRole('button', { name: 'Start work on site' }).count()),
      )
      .toBe(1);
    await at(start, async () => {
      if ((await heldBack.count()) === 0)
        await card.getByRole('button', { name: 'Start work on site' }).click();
      else {
        // The page, drawn before the booked day, holds the step back: on that day the technician starts it.
        const started = await api.request('POST', `/api/tickets/${job.id}/transitions`, { to: 'on_site' });
        expect(started.status).toBe(200);
      }
      await workLink.waitFor();
    });
    await workLink.click();
    await page.waitForURL(`**/tech/${job.id}`);

    // What the device does: the risk's drivers in words, and the chart of the strongest one's metric.
    const evidence = (await api.get(`/api/tickets/${job.id}`)).body.evidence as {
      drivers: { metric: string; label: string; text: string; weight: number }[];
    };
    expect(evidence.drivers.length).toBeGreaterThan(0);
    const shows = page.getByRole('region', { name: 'What the device shows' });
    for (const driver of evidence.drivers) await shows.getByText(driver.text).waitFor();
    const strongest = [...evidence.drivers].sort((a, b) => b.weight - a.weight)[0]!;
    const chart = shows.getByRole('region', { name: `${strongest.label} chart` });
    await chart.locator('canvas').first().waitFor();
    // Polled: a live update may redraw the chart (a new canvas) between finding it and measuring it.
    await expect
      .poll(async () => (await chart.locator('canvas').first().boundingBox())?.width ?? 0)
      .toBeGreaterThan(200);
    // On the phone the charts keep their keys: the healthy range's, and which colour is which component.
    await expect(chart.getByText(/healthy range/).isVisible()).resolves.toBe(true);
    const risk = shows.getByRole('region', { name: 'Risk history chart' });
    if (await risk.locator('canvas').count()) {
      const legend = risk.locator('.u-legend');
      await expect(legend.isVisible()).resolves.toBe(true);
      // What shows (rendered text, not what CSS hides): the components by colour, no time and no
      // dashes waiting for a hover.
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's, and only the rendered text counts.
      const shown = await legend.innerText();
      expect(shown).toMatch(/[A-Za-z]/);
      expect(shown).not.toMatch(/Time|—/);
    }
    await shows.getByRole('table', { name: 'Latest readings' }).locator('tr').first().waitFor();
    // A live refresh (the office writes a note) keeps the readings and charts on screen while they
    // load again: they never blank to "Loading".
    await waitLive(page);
    await page.evaluate(`(() => {
      window.readingsBlanked = false;
      const loading = () => [...document.querySelectorAll('[role=status]')].some((e) => e.textContent.includes("Loading the device's readings"));
      new MutationObserver(() => { if (loading()) window.readingsBlanked = true; }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    const officeNote = 'Office: the customer asks for a call before you ring';
    expect((await api.request('POST', `/api/tickets/${job.id}/notes`, { text: officeNote })).status).toBe(
      201,
    );
    await page.getByText(officeNote).waitFor({ timeout: 30_000 });
    await chart.locator('canvas').first().waitFor();
    await expect(page.evaluate('window.readingsBlanked')).resolves.toBe(false);
    // Zooming asks the job's own window endpoint; another job's answers "not found".
    const span = `from=${Date.now() - 86_400_000}&to=${Date.now()}&metrics=${strongest.metric}`;
    const own = await page.request.get(`${base}/tech/${job.id}/window?${span}`);
    expect(own.status()).toBe(200);
    expect((await own.json()).series[0].metric).toBe(strongest.metric);
    const others = (await api.get('/api/tickets?limit=100')).body.items as {
      id: string;
      technicianId: string | null;
    }[];
    const other = others.find((t) => t.technicianId !== technicianId)!;
    await expect(
      page.request.get(`${base}/tech/${other.id}/window?${span}`).then((r) => r.status()),
    ).resolves.toBe(404);
    // The history names people: the technician assigned, and this technician's own steps as "you".
    const me = (await api.get(`/api/technicians/${technicianId}`)).body as { name: string };
    const history = page.getByRole('region', { name: 'History', exact: true });
    await expect(history.textContent()).resolves.toContain(me.name);
    await expect(history.textContent()).resolves.toContain('by you');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    // The automation reserved the compressor, or is moving one towards the job: either way one is fitted.
    const planned = (await api.get(`/api/tickets/${job.id}`)).body;
    const inTransit = planned.transfers.filter((t: { status: string }) => t.status === 'in_transit');
    const reserved = planned.reservations.filter((r: { status: string }) => r.status === 'reserved');
    expect(inTransit.length + reserved.length).toBeGreaterThan(0);
    const parts = page.getByRole('region', { name: 'Parts' });
    if (inTransit.length > 0) {
      await parts
        .getByRole('button', { name: /^Received / })
        .first()
        .click();
      await page.getByText('Part received: it is reserved for this job.').waitFor();
    }
    const serial = parts.getByPlaceholder('serial of the part taken out');
    if (await serial.count()) await serial.first().fill('OLD-COMP-0042');
    await parts
      .getByRole('button', { name: /^Fitted / })
      .first()
      .click();
    await parts.getByText('fitted', { exact: true }).first().waitFor();
    await page.getByLabel('New note').fill('Compressor drew high current; replaced and tested.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Compressor drew high current; replaced and tested.').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // The technician sees where to go and whom to call: customer, address, map link, phone.
    const place = planned.place as {
      customer: { name: string; phone: string };
      site: { address: string; lat: number; lon: number };
    };
    const where = page.getByRole('group', { name: 'Customer and site' });
    await expect(where.textContent()).resolves.toContain(place.customer.name);
    await expect(where.textContent()).resolves.toContain(place.site.address);
    await expect(
      where.getByRole('link', { name: place.customer.phone }).getAttribute('href'),
    ).resolves.toMatch(/^tel:\+?[0-9]+$/);
    await expect(where.getByRole('link', { name: /Open in map/ }).getAttribute('href')).resolves.toContain(
      `mlon=${place.site.lon.toFixed(5)}`,
    );
    await shot(page, 'tech-job');

    await page.getByRole('button', { name: 'Resolve…' }).click();
    await page.getByLabel(/What was found and done/).fill('Replaced the compressor; current back to normal.');
    await page.getByRole('button', { name: 'Resolve', exact: true }).click();
    await page.getByText(/Resolved\. The platform now watches the telemetry/).waitFor();
    await shot(page, 'tech-job-resolved');

    const resolved = (await api.get(`/api/tickets/${job.id}`)).body;
    expect(resolved.status).toBe('resolved');
    expect(resolved.partsUsed.length).toBe(1);
    expect(resolved.audit.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['accepted', 'started', 'resolved']),
    );
    await page.goto(`${base}/tech`);
    await page.getByRole('heading', { name: /Finished today/ }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('holds back the start of a job booked for a later day, and says which day it opens', async () => {
    const jobId = await reportOnCustomerDevice(
      'Remote does not pair',
      'The remote stopped pairing after a battery change',
    );
    const technician = (await api.get(`/api/technicians/${technicianId}`)).body as {
      workingHours: WorkingHours;
    };
    // Three days on: a later day whenever the suite runs.
    const start = await freeStart(
      api,
      technicianId,
      Date.now() + 72 * hourMs,
      60,
      inWorkingHours(technician.workingHours),
    );
    expect(
      (
        await api.request('PUT', `/api/tickets/${jobId}/assignment`, {
          technicianId,
          appointment: { start, end: start + hourMs },
        })
      ).status,
    ).toBe(200);
    expect(
      (await api.request('POST', `/api/tickets/${jobId}/transitions`, { to: 'dispatched' })).status,
    ).toBe(200);
    const day = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      timeZone: technician.workingHours.timezone,
    }).format(start);

    const context = await phoneContext();
    const page = await signIn(context, accounts.technician);
    const errors = watchErrors(page);
    const card = page.locator(`li.job[data-ticket="${jobId}"]`);
    await card.waitFor();
    await expect(card.locator('.starts').textContent()).resolves.toBe(
      `Work on site starts on ${day}, the booked day.`,
    );
    await expect(card.getByRole('button', { name: 'Start work on site' }).count()).resolves.toBe(0);
    // Three days on is past a reported problem's SLA (72 h at most): the list says so, as the job's page does.
    const slaDueAt = (await api.get(`/api/tickets/${jobId}`)).body.slaDueAt as number;
    expect(start).toBeGreaterThan(slaDueAt);
    await expect(card.getByText('visit booked after it').count()).resolves.toBe(1);
    // Listed under the day it is booked for, on the technician's calendar, as the start is held back.
    const comingUp = page.getByRole('region', { name: /^Coming up/ });
    await expect(comingUp.locator(`li.job[data-ticket="${jobId}"]`).count()).resolves.toBe(1);
    await shot(page, 'tech-jobs-later-day');

    await page.goto(`${base}/tech/${jobId}`, { waitUntil: 'networkidle' });
    const next = page.getByRole('region', { name: 'Next step' });
    await expect(next.textContent()).resolves.toContain(
      `Work on site starts on ${day}, the day the visit is booked for.`,
    );
    await expect(next.getByRole('button', { name: 'Start work on site' }).count()).resolves.toBe(0);
    await expect(next.getByText('No further step is yours').count()).resolves.toBe(0);
    await page.screenshot({ path: join(screenshots, 'tech-job-later-day.png') });
    expect(errors).toEqual([]);
    await context.close();

    // The office's ticket page holds it back too, and keeps what the office may do (cancel).
    const office = await browser.newContext();
    const desk = await signIn(office, accounts.planner, `/tickets/${jobId}`);
    await expect(
      desk.getByText(`Work on site starts on ${day}, the day the visit is booked for.`).isVisible(),
    ).resolves.toBe(true);
    await expect(desk.getByRole('button', { name: 'Start work on site' }).count()).resolves.toBe(0);
    await expect(desk.getByRole('button', { name: /^Cancel ticket/ }).count()).resolves.toBe(1);
    await office.close();
  });

  it('keeps a note and a step when the phone loses signal, and sends them once it is back', async () => {
    // A job of the demo technician's on a customer's device, booked for later today.
    const jobId = await reportOnCustomerDevice(
      'Unit trips the breaker',
      'The unit trips the breaker a minute after it starts',
    );
    const start = await freeStart(api, technicianId, Date.now() + 3 * hourMs, 60);
    const assigned = await api.request('PUT', `/api/tickets/${jobId}/assignment`, {
      technicianId,
      appointment: { start, end: start + hourMs },
      ...nowWhateverTheHour,
    });
    expect(assigned.status).toBe(200);

    const context = await phoneContext();
    const page = await signIn(context, accounts.technician, `/tech/${jobId}`);
    const errors = watchErrors(page);
    await waitLive(page);
    // What is tapped on the doorstep has a finger's height: the way back, the phone and map links, the account.
    const targets = [
      page.getByRole('link', { name: '← My jobs' }),
      ...(await page.getByRole('group', { name: 'Customer and site' }).getByRole('link').all()),
      page.getByRole('link', { name: 'Your account' }),
      page.getByRole('button', { name: 'Sign out' }),
    ];
    expect(targets.length).toBeGreaterThanOrEqual(4);
    for (const target of targets) expect((await target.boundingBox())?.height).toBeGreaterThanOrEqual(32);
    const notes = page.getByRole('region', { name: 'Notes' });
    const box = page.getByLabel('New note');
    const text = 'Breaker is 10 A; the unit needs 16 A. Customer to call an electrician.';
    await box.fill(text);

    // No signal: the note stays in the box, a message says so at the form, and the page stays.
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Add note' }).click();
    const offline = notes.getByRole('alert').filter({ hasText: 'No connection — your note is kept' });
    await offline.waitFor();
    await expect(box.inputValue()).resolves.toBe(text);
    await expect(page.getByRole('button', { name: 'Add note' }).isEnabled()).resolves.toBe(true);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Unit trips the breaker',
    );
    await notes.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshots, 'tech-job-offline.png') });

    // A step without signal: refused the same way, at the step.
    const next = page.getByRole('region', { name: 'Next step' });
    await next.getByRole('button', { name: 'Accept job' }).click();
    await next
      .getByRole('alert')
      .filter({ hasText: 'No connection — try again when you have signal.' })
      .waitFor();

    // Signal again: the same taps go through.
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Add note' }).click();
    await notes.getByRole('listitem').filter({ hasText: text }).waitFor();
    await expect(box.inputValue()).resolves.toBe('');
    await expect(offline.count()).resolves.toBe(0);
    await next.getByRole('button', { name: 'Accept job' }).click();
    await next.getByText('Accepted.', { exact: true }).waitFor();
    const job = (await api.get(`/api/tickets/${jobId}`)).body;
    expect(job.status).toBe('dispatched');
    expect(job.notes.map((n: { text: string }) => n.text)).toEqual([text]);
    // What the browser reports while offline: the requests that could not go out, nothing else.
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });

  it('keeps the email typed on the login page before its scripts are in', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    const errors = watchErrors(page);
    // The console's scripts are held back, as on a slow connection, until the email is typed.
    const held: string[] = [];
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const script = (url: URL) => url.pathname.startsWith('/_app/immutable/') && url.pathname.endsWith('.js');
    await page.route(script, async (route) => {
      held.push(route.request().url());
      await released;
      await route.continue();
    });
    await page.goto(`${base}/login`, { waitUntil: 'commit' });
    const email = page.getByLabel('Email');
    await email.waitFor();
    await expect.poll(() => held.length).toBeGreaterThan(0);
    await email.fill('nobody@aftercare.local');
    release();
    await page.waitForLoadState('networkidle');
    await expect(email.inputValue()).resolves.toBe('nobody@aftercare.local');

    // A refused sign-in, through the page's scripts (the same document), keeps it too.
    await page.evaluate('window.sameDocument = true');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'do not match an account' }).waitFor({ timeout: 60_000 });
    await expect(email.inputValue()).resolves.toBe('nobody@aftercare.local');
    await expect(page.evaluate('window.sameDocument === true')).resolves.toBe(true);
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    await context.close();
  });

  it('lets a customer report a problem and rate a visit, on their own devices only', async () => {
    const own = (await api.get(`/api/devices?customerId=${customerId}&limit=100`)).body.items.map(
      (d: { id: string }) => d.id,
    ) as string[];
    expect(own.length).toBeGreaterThan(0);
    const other = fleet.specs.map((s) => s.id).find((id) => !own.includes(id))!;

    // A visit to one of their devices, done and closed, waiting for their rating.
    const opened = await closedVisit(own[0]!, 'Water leaking under the unit', 'Cleared the drain line');
    const visitId = opened.id;

    const context = await phoneContext();
    const page = await signIn(context, accounts.customer);
    const errors = watchErrors(page);
    expect(new URL(page.url()).pathname).toBe('/my');
    expect((await listedDeviceIds(page)).sort()).toEqual([...own].sort());

    // Report a problem with one of their devices that no repair is under way for: the office first
    // cancels what the other tests left open on it (reporting a device being seen to is refused, below).
    const free = own[0]!;
    const underWay = (
      await api.get(
        `/api/tickets?deviceId=${free}&kind=corrective&status=open,scheduled,dispatched,on_site&limit=100`,
      )
    ).body.items as { id: string }[];
    for (const t of underWay)
      expect(
        (
          await api.request('POST', `/api/tickets/${t.id}/transitions`, {
            to: 'cancelled',
            reason: 'test set-up',
          })
        ).status,
      ).toBe(200);
    const report = async (deviceId: string) => {
      await page.getByRole('button', { name: /Something is wrong with a device/ }).click();
      await page.getByLabel('Which device?').selectOption(deviceId);
      await page.getByLabel('What is wrong?').fill('It makes a loud rattling noise when it starts.');
      await page.getByRole('button', { name: 'Report the problem' }).click();
    };
    await report(free);
    await page.getByText(/Thank you: we have your report/).waitFor();
    const reported = (await api.get(`/api/tickets?customerId=${customerId}&kind=corrective&limit=50`)).body
      .items;
    expect(
      reported.some(
        (t: { description: string }) => t.description === 'It makes a loud rattling noise when it starts.',
      ),
    ).toBe(true);
    await page
      .getByRole('region', { name: 'Open tickets' })
      .getByText('It makes a loud rattling noise when it starts.')
      .waitFor();
    // In the customer's words, and who pays for it before anyone comes: chargeable work is quoted first.
    const rattling = reported.find(
      (t: { description: string }) => t.description === 'It makes a loud rattling noise when it starts.',
    ) as { id: string; coverage: 'in_warranty' | 'amc' | 'chargeable' };
    const openEntry = await page
      .getByRole('region', { name: 'Open tickets' })
      .locator(`li[data-ticket="${rattling.id}"]`)
      .textContent();
    expect(openEntry).toContain('Repair you asked for');
    expect(openEntry).not.toContain('Reported problem');
    const willPay = {
      in_warranty: /Covered by your warranty/,
      amc: /covered by your maintenance contract/i,
      chargeable: /Chargeable.*the technician quotes before any work/,
    };
    expect(openEntry).toMatch(willPay[rattling.coverage]);
    // The same device again, while that report is being seen to: told so, and no second ticket.
    await report(free);
    await page.getByText(/You have already reported a problem with this device/).waitFor();
    const again = (
      await api.get(`/api/tickets?customerId=${customerId}&kind=corrective&deviceId=${free}&limit=50`)
    ).body.items.filter(
      (t: { description: string }) => t.description === 'It makes a loud rattling noise when it starts.',
    );
    expect(again).toHaveLength(1);

    // A second tab, left open on the same page: it will rate the visit again later.
    const stale = await context.newPage();
    const staleErrors = watchErrors(stale);
    await stale.goto(`${base}/my`, { waitUntil: 'networkidle' });

    // Rate the closed visit: four stars, 9 out of 10.
    const rating = page.locator(`.rating[data-ticket="${visitId}"]`);
    // Asked about on the day the technician came, as "Past visits" below dates it, not the day it closed.
    const cameOn = await page
      .getByRole('region', { name: 'Past visits' })
      .locator(`li[data-visit="${visitId}"] time`)
      .textContent();
    const asked = await rating.locator('.what').textContent();
    expect(asked).toContain(`visit of ${cameOn}`);
    expect(asked).not.toContain('closed');
    await rating.locator('label', { hasText: '★' }).nth(3).click();
    await rating.locator('.nps').getByText('9', { exact: true }).click();
    await shot(page, 'customer-rating');
    await rating.getByRole('button', { name: 'Send rating' }).click();
    await page.getByText('Thank you for rating the visit.').waitFor();
    const feedback = (await api.get(`/api/feedback?customerId=${customerId}`)).body.items;
    expect(feedback).toEqual(
      expect.arrayContaining([expect.objectContaining({ ticketId: visitId, csat: 4, nps: 9 })]),
    );
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(page, 'customer-my');

    // Their contract: the plan, its visits, what it covers; and the visit just done, with their rating.
    const inForce = (
      (await api.get(`/api/contracts?customerId=${customerId}`)).body.items as {
        planId: string;
        deviceIds: string[];
        endsAt: number;
      }[]
    ).filter((c) => c.endsAt > Date.now());
    expect(inForce.length).toBeGreaterThan(0);
    const plans = (await api.get('/api/contract-plans')).body.items as { id: string; name: string }[];
    const planName = plans.find((p) => p.id === inForce[0]!.planId)!.name;
    const contract = await page.getByRole('region', { name: 'My contract' }).textContent();
    expect(contract).toContain(planName);
    expect(contract).toMatch(/\d+ of \d+ done/);
    expect(contract).toContain('A technician on site within');
    const recent = page.getByRole('region', { name: 'Past visits' }).locator(`li[data-visit="${visitId}"]`);
    await expect(recent.textContent()).resolves.toContain('Cleared the drain line');
    await expect(recent.getByRole('img', { name: 'you rated it 4 out of 5' }).count()).resolves.toBe(1);

    // The device's page leads with how it is and what is planned; its history says what was done and who paid.
    await page.goto(`${base}/my/devices/${own[0]}`);
    const header = await page.locator('.page-header').first().textContent();
    for (const figure of ['How it is doing', 'Next visit', 'Maintenance contract', 'Warranty'])
      expect(header).toContain(figure);
    const visit = page
      .getByRole('region', { name: 'Service history' })
      .locator(`li[data-visit="${visitId}"]`);
    const told = await visit.textContent();
    expect(told).toContain('Cleared the drain line');
    expect(told).toContain('You reported: Water leaking under the unit');
    const paidBy = { in_warranty: /Free under warranty/, amc: /covered/i, chargeable: /Chargeable/ };
    expect(told).toMatch(paidBy[opened.coverage as keyof typeof paidBy]);
    await expect(visit.getByRole('img', { name: '4 out of 5 stars' }).count()).resolves.toBe(1);
    // The readings are there for the curious, closed at first and in words: no metric names.
    const readings = page.getByText('Readings and health checks');
    await expect(page.getByRole('region', { name: 'Latest readings' }).count()).resolves.toBe(0);
    await readings.click();
    const table = await page.getByRole('region', { name: 'Latest readings' }).textContent();
    expect(table).not.toMatch(/[a-z]+_[a-z]+/);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(page, 'customer-my-device-history');
    // A device under the contract shows its plan and the maintenance visits it has used.
    await page.goto(`${base}/my/devices/${inForce[0]!.deviceIds[0]}`);
    const cover = await page.getByRole('region', { name: 'Contract and warranty' }).textContent();
    expect(cover).toContain(planName);
    expect(cover).toMatch(/\d+ of \d+ done/);
    expect(cover).toContain("Manufacturer's warranty");
    await page.goto(`${base}/my`);

    // Rated again from the stale tab: thanked, not told about a conflict, and the form goes.
    const staleRating = stale.locator(`.rating[data-ticket="${visitId}"]`);
    await staleRating.locator('label', { hasText: '★' }).nth(1).click();
    await staleRating.locator('.nps').getByText('5', { exact: true }).click();
    await staleRating.getByRole('button', { name: 'Send rating' }).click();
    await stale
      .getByRole('status')
      .filter({ hasText: 'You have already rated this visit — thank you.' })
      .waitFor();
    await expect(staleRating.count()).resolves.toBe(0);
    const rated = (await api.get(`/api/feedback?customerId=${customerId}`)).body.items.filter(
      (f: { ticketId: string }) => f.ticketId === visitId,
    );
    expect(rated).toEqual([expect.objectContaining({ csat: 4, nps: 9 })]);
    expect(staleErrors).toEqual([]);
    await stale.close();

    // Someone else's device: not in the report form, refused if slipped in, and "not found" by URL.
    await page.getByRole('button', { name: /Something is wrong with a device/ }).click();
    const options = (await page
      .getByLabel('Which device?')
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))) as string[];
    expect(options.filter(Boolean).sort()).toEqual([...own].sort());
    // A device id slipped into the form by hand is refused by the service.
    await page.evaluate(
      `(() => { const s = document.querySelector('select[name=deviceId]'); const o = document.createElement('option'); o.value = ${JSON.stringify(other)}; s.appendChild(o); s.value = o.value; })()`,
    );
    await page.getByLabel('What is wrong?').fill('Not my device at all.');
    await page.getByRole('button', { name: 'Report the problem' }).click();
    await page.getByRole('alert').filter({ hasText: 'That device is not one of yours.' }).waitFor();
    const response = await page.goto(`${base}/my/devices/${other}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByText(`There is no device "${other}" that you can see.`).isVisible()).resolves.toBe(
      true,
    );
    // A link to one of their tickets (the office's address, passed on) leads to the visit on its
    // device's page; a link to someone else's ticket is "not found".
    await page.goto(`${base}/tickets/${visitId}`, { waitUntil: 'networkidle' });
    const landed = new URL(page.url());
    expect(landed.pathname + landed.hash).toBe(`/my/devices/${own[0]}#visit-${visitId}`);
    await page.locator(`li#visit-${visitId}`).waitFor();
    const theirs = await api.request('POST', '/api/tickets', {
      kind: 'corrective',
      deviceId: other,
      description: 'Not cooling',
    });
    expect(theirs.status).toBe(201);
    const refused = await page.goto(`${base}/tickets/${theirs.body.id}`);
    expect(refused?.status()).toBe(404);
    await page.getByText(`There is no visit "${theirs.body.id}" that you can see.`).waitFor();
    // The refused report and the 404 pages are the only failures the browser reports.
    expect(errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
    await context.close();
  });

  it("takes a customer's complaint from their rating to the office's feedback desk, where it is closed with what was done", async () => {
    const own = (await api.get(`/api/devices?customerId=${customerId}&limit=100`)).body.items.map(
      (d: { id: string }) => d.id,
    ) as string[];
    const visit = await closedVisit(own.at(-1)!, 'Drain pump hums, no water out', 'Replaced the drain pump');

    // The customer rates it low and asks for a follow-up.
    const phone = await phoneContext();
    const mine = await signIn(phone, accounts.customer);
    const rating = mine.locator(`.rating[data-ticket="${visit.id}"]`);
    await rating.locator('label', { hasText: '★' }).nth(1).click();
    await rating.locator('.nps').getByText('3', { exact: true }).click();
    await rating.getByLabel(/Anything to add/).fill('Came two hours late and did not call ahead.');
    await rating.getByLabel(/This is a complaint/).check();
    await rating.getByRole('button', { name: 'Send rating' }).click();
    await mine.getByText('Thank you for rating the visit.').waitFor();
    await phone.close();
    const given = (
      (await api.get(`/api/feedback?customerId=${customerId}&resolved=false&limit=100`)).body.items as {
        id: string;
        ticketId: string;
      }[]
    ).find((f) => f.ticketId === visit.id);
    expect(given).toBeDefined();

    // The planner's desk lists it with what it is about, and will not close it without a word.
    const office = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const desk = await signIn(office, accounts.planner, '/feedback');
    const errors = watchErrors(desk);
    const entry = desk.locator(`li.complaint[data-feedback="${given!.id}"]`);
    const text = await entry.textContent();
    expect(text).toContain('Came two hours late and did not call ahead.');
    expect(text).toContain('Drain pump hums');
    await expect(entry.getByLabel('CSAT 2 of 5').count()).resolves.toBe(1);
    await entry.getByLabel('What was done').fill('ok');
    await entry.getByRole('button', { name: 'Close complaint' }).click();
    await entry.getByRole('alert').filter({ hasText: 'Say what was done about the complaint' }).waitFor();
    await shot(desk, 'feedback-desk');

    const done = 'Called the customer, apologised; the partner now calls ahead when running late.';
    await entry.getByLabel('What was done').fill(done);
    await entry.getByRole('button', { name: 'Close complaint' }).click();
    await desk.getByText('The complaint is closed, with what was done').waitFor();
    await expect(desk.locator(`li.complaint[data-feedback="${given!.id}"]`).count()).resolves.toBe(0);
    const closed = desk.getByRole('region', { name: 'Closed lately' });
    await expect(closed.textContent()).resolves.toContain(done);
    await expect(closed.textContent()).resolves.toContain('Demo planner');
    await shot(desk, 'feedback-desk-closed');
    const stored = (await api.get('/api/feedback?resolved=true&limit=100')).body.items.find(
      (f: { id: string }) => f.id === given!.id,
    );
    expect(stored).toMatchObject({ complaintResolution: done, complaintResolvedBy: 'Demo planner' });
    expect(errors).toEqual([]);
    await office.close();

    // The customer reads what was done about it on the visit's entry.
    const back = await phoneContext();
    const device = await signIn(back, accounts.customer, `/my/devices/${own.at(-1)}`);
    const told = await device
      .getByRole('region', { name: 'Service history' })
      .locator(`li[data-visit="${visit.id}"]`)
      .textContent();
    expect(told).toContain(`Followed up`);
    expect(told).toContain(done);
    await shot(device, 'customer-complaint-followed-up');
    await back.close();
  });

  it("updates the technician's jobs and the customer's tickets live when the office changes them", async () => {
    const techContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const tech = await signIn(techContext, accounts.technician);
    const customerContext = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const customer = await signIn(customerContext, accounts.customer);
    const errors = [...watchErrors(tech), ...watchErrors(customer)];
    await waitLive(tech);
    await waitLive(customer);
    await tech.evaluate('window.sameDocument = true');
    await customer.evaluate('window.sameDocument = true');

    // The office opens a job on the customer's device and gives it to the demo technician.
    const device = (await api.get(`/api/devices?customerId=${customerId}&limit=1`)).body.items[0].id;
    const created = await api.request('POST', '/api/tickets', {
      kind: 'corrective',
      deviceId: device,
      title: 'Display shows error E4',
      description: 'Display shows error E4 after a power cut',
    });
    expect(created.status).toBe(201);
    await customer.locator(`li[data-ticket="${created.body.id}"]`).waitFor({ timeout: 30_000 });
    const start = await freeStart(api, technicianId, Date.now() + 2 * hourMs, 60);
    const booked = await api.request('PUT', `/api/tickets/${created.body.id}/assignment`, {
      technicianId,
      appointment: { start, end: start + hourMs },
      ...nowWhateverTheHour,
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(200);
    await tech.locator(`li.job[data-ticket="${created.body.id}"]`).waitFor({ timeout: 30_000 });
    const upcoming = customer.getByRole('region', { name: 'Upcoming visits' });
    await upcoming.getByText('Display shows error E4').waitFor({ timeout: 30_000 });
    // The customer is told who is coming, by name.
    const who = (await api.get(`/api/technicians/${technicianId}`)).body.name as string;
    await upcoming.getByText(`${who} is coming`).first().waitFor();
    await expect(tech.evaluate('window.sameDocument === true')).resolves.toBe(true);
    await expect(customer.evaluate('window.sameDocument === true')).resolves.toBe(true);
    expect(errors).toEqual([]);
    await techContext.close();
    await customerContext.close();
  });

  it('works at phone width for a planner: list, board and ticket fit the screen', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await signIn(context, accounts.planner, '/tickets');
    const errors = watchErrors(page);
    const first = (await api.get('/api/tickets?kind=predictive&limit=1')).body.items[0].id;
    for (const [path, name] of [
      ['/tickets', 'phone-tickets'],
      ['/tickets?view=board', 'phone-tickets-board'],
      [`/tickets/${first}`, 'phone-ticket'],
    ] as const) {
      await page.goto(`${base}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await shot(page, name);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
